/* Offline on the page: registers the service worker, keeps the officer's
 * caseload on the phone, saves contacts to the outbox when the network is down
 * or the send fails, shows the outbox, syncs it, and wipes the phone on logout.
 * Without JavaScript every form still posts to the server as usual. */
(function () {
  'use strict';
  var store = window.FieldOutbox;
  var PAGES_EVERY = 20 * 60 * 1000;  // refresh the caseload kept on the phone this often
  var FORM_TIMEOUT = 20000;
  var config = {}, timer = null, words = null;  // words: the page's #fieldapp-text

  // The English the page's #fieldapp-text replaces with the user's language; used
  // as it is on a page without it, and for a text an older kept copy lacks.
  var ENGLISH = {
    text: {
      offline: 'You are offline. Contacts you save stay on this phone until the network returns.',
      copy_offline: 'Offline. This is the copy saved on this phone %(when)s (%(ago)s); anything newer is not shown.',
      copy_online: 'Back online. This is the copy saved on this phone %(when)s (%(ago)s); reload for the latest.',
      just_now: 'just now', minutes_ago: '%(count)s min ago', hours_ago: '%(count)s h ago',
      days_ago: '%(count)s days ago',
      session_ended: 'Your session ended; %(link)s to send them.', log_in_again: 'log in again',
      sent_at_login: 'They are sent once you log in.', sending: 'Sending…',
      saved_title: 'Saved on this phone — waiting to sync', saved_for: '%(what)s for %(student)s, %(when)s.',
      saved_what: '%(what)s, %(when)s.', contact: 'Contact',
      sent_later: 'It is sent when the network returns; the outbox shows the receipt when it arrives.',
      back_to: 'Back to %(student)s', back_to_student: 'Back to the student', open_outbox: 'Open outbox',
      why_corrected: 'Corrected.', why_offline: 'You are offline.',
      why_server: 'The server could not take it just now.',
      why_session: 'Your session ended; log in again to send it.', why_expired: 'The form had expired.',
      why_no_answer: 'The network did not answer.', why_failed: 'The send failed.',
      from_outbox: 'This entry is from the outbox; fix what is marked and save it to send it again.',
      state_waiting: 'Waiting', state_sending: 'Sending', state_synced: 'Synced',
      state_attention: 'Needs attention', state_conflict: 'Kept for review',
      nothing_waits: 'Nothing waits on this phone.', last_sync: 'Last sync: %(when)s (%(ago)s).',
      never_synced: 'This phone has not synced yet.', error_no_answer: 'no answer from the server',
      error_network: 'the network failed', error_server: 'server answered %(status)s',
      saved_at: 'saved %(when)s', receipt: 'Receipt: contact #%(id)s, received %(when)s.',
      see_on_record: 'See it on the record',
      conflict: 'Another version of this entry is already on the record. Both are kept; a supervisor ' +
        'will review them (review #%(id)s).',
      fix: 'Fix and resend', retry: 'Try again as it is', all_sent: 'All sent. Logging out…',
      change: 'Change before it is sent',
      changing: 'This entry has not left this phone yet; change what you need and save it to send it.',
      already_sent: 'This entry has left this phone already; correct it on the student\'s record once it has a receipt.'
    },
    one: {
      waiting_badge: '%(count)s entry waiting', waits_here: '%(count)s entry waits on this phone.',
      queued: '%(count)s entry waiting on this phone', need_attention: '%(count)s entry needs attention',
      retrying: 'The last attempt failed (%(error)s). Trying again in %(seconds)s s; %(count)s attempt ' +
        'so far. Nothing is lost.',
      others: '%(count)s entry logged by another account also is kept on this phone.',
      not_sent_yet: '%(count)s entry has not reached the server yet.',
      could_not_send: '%(count)s entry could not be sent; stay logged in and try again when the ' +
        'network is better.'
    },
    other: {
      waiting_badge: '%(count)s entries waiting', waits_here: '%(count)s entries wait on this phone.',
      queued: '%(count)s entries waiting on this phone', need_attention: '%(count)s entries need attention',
      retrying: 'The last attempt failed (%(error)s). Trying again in %(seconds)s s; %(count)s attempts ' +
        'so far. Nothing is lost.',
      others: '%(count)s entries logged by another account also are kept on this phone.',
      not_sent_yet: '%(count)s entries have not reached the server yet.',
      could_not_send: '%(count)s entries could not be sent; stay logged in and try again when the ' +
        'network is better.'
    }
  };

  function $(sel, root) { return (root || document).querySelector(sel); }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text != null) node.textContent = text;
    return node;
  }

  function readWords() {
    var node = $('#fieldapp-text');
    try { return node ? JSON.parse(node.textContent) : ENGLISH; } catch (e) { return ENGLISH; }
  }
  // The text under key in the page's language, its %(name)s filled from values; a text
  // with a number (values.count) in its form for that number.
  function t(key, values) {
    values = values || {};
    var set = key in ENGLISH.text ? 'text' : values.count === 1 ? 'one' : 'other';
    var text = ((words || ENGLISH)[set] || {})[key];
    if (typeof text !== 'string') text = ENGLISH[set][key];
    return text.replace(/%\((\w+)\)s/g, function (all, name) {
      return name in values ? values[name] : all;
    });
  }
  function when(iso) {
    if (!iso) return '';
    return new Date(iso).toLocaleString(document.documentElement.lang || [], {month: 'short',
      day: 'numeric', hour: 'numeric', minute: '2-digit'});
  }
  function ago(iso) {
    var minutes = Math.round((Date.now() - new Date(iso).getTime()) / 60000);
    if (minutes < 1) return t('just_now');
    if (minutes < 60) return t('minutes_ago', {count: minutes});
    var hours = Math.round(minutes / 60);
    // Past 48 hours, always two days or more.
    return hours < 48 ? t('hours_ago', {count: hours}) : t('days_ago', {count: Math.round(hours / 24)});
  }

  function readConfig() {
    var m = $('#fieldapp-sync');
    if (!m) return {};
    return {user: m.dataset.user ? Number(m.dataset.user) : null, maySync: !!m.dataset.maySync,
      worker: m.dataset.worker, api: m.dataset.api, session: m.dataset.session,
      pages: m.dataset.pages, outbox: m.dataset.outbox, login: m.dataset.login,
      logout: m.dataset.logout};
  }

  // -- the service worker and the pages kept on the phone ------------------------

  function register() {
    if (!('serviceWorker' in navigator) || !config.worker) return;
    navigator.serviceWorker.register(config.worker, {scope: '/'}).catch(function () {});
    navigator.serviceWorker.addEventListener('message', function (event) {
      if (event.data && event.data.type === 'outbox-changed') refresh();
    });
  }

  function markCopy(html, at) {
    return html.replace(/<body([^>]*)>/, '<body$1><div id="offline-copy" hidden data-cached-at="' +
      at + '"></div>');
  }

  var keeping = null;  // one refresh of the kept pages at a time

  function keepPages(force) {
    if (!config.user || !navigator.onLine || !window.caches) return Promise.resolve();
    if (!keeping) {
      keeping = refreshKept(force).then(function () { keeping = null; }, function () { keeping = null; });
    }
    return keeping;
  }

  // The copies for offline use are fetched once the page has loaded and the
  // browser is idle, so on a slow connection they never hold up the page.
  function whenIdle(work) {
    function go() {
      if (window.requestIdleCallback) requestIdleCallback(work, {timeout: 5000});
      else setTimeout(work, 500);
    }
    if (document.readyState === 'complete') go();
    else window.addEventListener('load', go, {once: true});
  }

  function refreshKept(force) {
    var known = ['pages_owner', 'pages_at', 'pages_lang'].map(function (k) { return store.meta(k); });
    return Promise.all(known).then(function (m) {
      var stale = !m[1] || Date.now() - m[1] > PAGES_EVERY;
      if (m[0] !== config.user) return caches.delete(store.PAGES).then(function () { return true; });
      // The officer chose another language: the copies are fetched again in it.
      return force || stale || m[2] !== document.documentElement.lang;
    }).then(function (due) {
      if (!due) return;
      return fetch(config.pages, {credentials: 'same-origin', cache: 'no-store'}).then(function (r) {
        return r.ok ? r.json().then(copyPages) : null;
      });
    }).catch(function () {});
  }

  function copyPages(list) {
    var at = new Date().toISOString(), kept = {};
    // Pages still on the caseload stay, even if fetching a fresh copy failed just now.
    list.pages.concat(list.home ? [list.home] : [], list.offline ? [list.offline] : []).forEach(function (url) {
      kept[new URL(url, location.href).href] = true;
    });
    return caches.open(store.PAGES).then(function (cache) {
      var chain = Promise.resolve();
      list.pages.forEach(function (url) {
        chain = chain.then(function () {
          // The server logs this as a copy kept on the phone, not as a person reading it.
          return fetch(url, {credentials: 'same-origin', cache: 'no-store',
                             headers: {'X-Offline-Copy': '1'}}).then(function (r) {
            if (!r.ok || r.redirected) return;
            return r.text().then(function (html) {
              var copy = markCopy(html, at), headers = {'Content-Type': 'text/html; charset=utf-8'};
              var puts = [cache.put(url, new Response(copy, {headers: headers}))];
              if (url === list.pages[0] && list.home) {  // the home address opens the caseload
                puts.push(cache.put(list.home, new Response(copy, {headers: headers})));
              }
              return Promise.all(puts);
            });
          }).catch(function () {});
        });
      });
      if (list.offline) chain = chain.then(function () { return keepOfflinePage(cache, list.offline); });
      return chain.then(function () { return cache.keys(); }).then(function (keys) {
        // A case that left the caseload leaves the phone too.
        return Promise.all(keys.filter(function (k) { return !kept[k.url]; })
          .map(function (k) { return cache.delete(k); }));
      });
    }).then(function () {
      return Promise.all([store.meta('pages_owner', config.user), store.meta('pages_at', Date.now()),
        store.meta('pages_lang', document.documentElement.lang)]);
    }).then(function () { document.documentElement.dataset.pagesKept = at; });
  }

  // The "no connection" page, in the officer's language: the service worker's own copy
  // is in whichever language the phone had when the worker was installed.
  function keepOfflinePage(cache, url) {
    return fetch(url, {credentials: 'same-origin', cache: 'no-store'}).then(function (r) {
      if (r.ok && !r.redirected) return cache.put(url, r);
    }).catch(function () {});
  }

  // -- badge, banners ----------------------------------------------------------------

  function mine(entries) {
    return entries.filter(function (e) { return e.user_id === config.user; });
  }

  function refresh() {
    if (!store) return Promise.resolve();
    return store.all().then(function (entries) {
      var waiting = entries.filter(store.isUnsent);
      var own = config.user ? mine(waiting) : waiting;
      var badge = $('[data-outbox-count]');
      if (badge) {
        badge.textContent = own.length;
        badge.hidden = !own.length;
        badge.setAttribute('aria-label', t('waiting_badge', {count: own.length}));
      }
      var deskLink = $('[data-outbox-when-waiting]');
      if (deskLink) deskLink.hidden = !own.length;
      return Promise.all([store.meta('auth'), store.meta('backoff'), store.meta('last_sync')])
        .then(function (m) {
          banners(own, m[0]);
          if ($('#outbox-list')) renderOutbox(entries, m[1], m[2]);
        });
    }).catch(function () {});
  }

  function banners(waiting, auth) {
    var banner = $('#offline-banner'), copy = $('#offline-copy'), alert = $('#sync-alert');
    if (banner) {
      var text = '';
      if (copy) {
        text = t(navigator.onLine ? 'copy_online' : 'copy_offline',
          {when: when(copy.dataset.cachedAt), ago: ago(copy.dataset.cachedAt)});
      } else if (!navigator.onLine) {
        text = t('offline');
      }
      banner.textContent = text;
      banner.hidden = !text;
    }
    if (alert) {
      var expired = waiting.length && (auth === 'expired' || !config.user);
      alert.hidden = !expired;
      alert.textContent = '';
      if (expired) {
        alert.append(t('waits_here', {count: waiting.length}) + ' ');
        if (config.user) {
          var around = t('session_ended').split('%(link)s');
          alert.append(around[0], el('a', {href: config.login}, t('log_in_again')), around[1] || '');
        } else {
          alert.append(t('sent_at_login'));
        }
      }
    }
  }

  // -- syncing -------------------------------------------------------------------------

  function syncNow(why) {
    if (!config.user || !config.maySync || !store) return Promise.resolve({status: 'off'});
    clearTimeout(timer);
    var status = $('#outbox-status');
    if (status) status.textContent = t('sending');
    return store.sync(config).then(function (result) {
      return refresh().then(function () { return schedule(result); }).then(function () {
        return result;
      });
    });
  }

  function schedule(result) {
    return Promise.all([store.unsent(config.user), store.meta('backoff')]).then(function (m) {
      var sendable = m[0].filter(function (e) { return e.state !== 'attention'; });
      if (!sendable.length || !navigator.onLine || (result && result.status === 'login')) return;
      var delay = m[1] && m[1].next_try_at ? Math.max(0, m[1].next_try_at - Date.now()) : 1000;
      timer = setTimeout(function () { syncNow('timer'); }, delay);
    });
  }

  function askBackgroundSync() {
    if (!('serviceWorker' in navigator)) return;
    navigator.serviceWorker.ready.then(function (reg) {
      return reg.sync && reg.sync.register('outbox');
    }).catch(function () {});
  }

  // -- the contact form -----------------------------------------------------------------

  function isContactForm(form) {
    return form.matches && form.matches('form.contact-form') &&
      /\/cases\/\d+\/contacts\/new$/.test(new URL(form.action, location.href).pathname);
  }

  function withOffset(local) {
    var d = local ? new Date(local) : new Date();
    if (isNaN(d.getTime())) d = new Date();
    var off = -d.getTimezoneOffset(), sign = off >= 0 ? '+' : '-', abs = Math.abs(off);
    function two(n) { return (n < 10 ? '0' : '') + n; }
    return d.getFullYear() + '-' + two(d.getMonth() + 1) + '-' + two(d.getDate()) + 'T' +
      two(d.getHours()) + ':' + two(d.getMinutes()) + ':' + two(d.getSeconds()) +
      sign + two(Math.floor(abs / 60)) + ':' + two(abs % 60);
  }

  function coordinate(value) {
    var number = value ? Number(value) : NaN;
    return isFinite(number) ? number : null;
  }

  function entryFrom(form) {
    var data = new FormData(form);
    var path = new URL(form.action, location.href).pathname;
    var checked = $('input[name="method"]:checked', form), outcome = $('#outcome', form);
    var back = $('a[href*="/students/"]', form), who = $('main h1 + p.muted');
    return {
      uuid: data.get('uuid') || crypto.randomUUID(), user_id: config.user,
      case_id: Number(path.match(/\/cases\/(\d+)\//)[1]),
      method: data.get('method') || '', outcome: data.get('outcome') || '',
      reasons: data.getAll('reasons'), people_present: data.getAll('people_present'),
      notes: data.get('notes') || '', follow_up_on: data.get('follow_up_on') || '',
      interpreter_used: !!data.get('interpreter_used'), language: data.get('language') || '',
      siblings: data.getAll('siblings'), latitude: coordinate(data.get('latitude')),
      longitude: coordinate(data.get('longitude')),
      occurred_at: withOffset(data.get('occurred_at')), saved_at: new Date().toISOString(),
      state: 'waiting', form_url: path, student_url: back ? back.getAttribute('href') : '',
      student_name: who ? who.textContent.split('·')[0].trim() : '',
      method_label: checked ? checked.parentNode.textContent.trim() : '',
      outcome_label: outcome && outcome.selectedIndex > 0 ? outcome.options[outcome.selectedIndex].text : ''
    };
  }

  function saved(entry, why) {
    var main = $('main'), box = el('section', {'class': 'saved-on-phone', role: 'status'});
    var what = {what: entry.method_label || t('contact'), student: entry.student_name,
      when: when(entry.occurred_at)};
    box.append(el('h1', {}, t('saved_title')));
    box.append(el('p', {}, t(entry.student_name ? 'saved_for' : 'saved_what', what)));
    box.append(el('p', {'class': 'muted'}, why + ' ' + t('sent_later')));
    var row = el('p', {'class': 'row'});
    if (entry.student_url) {
      row.append(el('a', {role: 'button', href: entry.student_url},
        entry.student_name ? t('back_to', what) : t('back_to_student')));
    }
    row.append(el('a', {role: 'button', 'class': 'secondary', href: config.outbox}, t('open_outbox')));
    box.append(row);
    main.replaceChildren(box);
    window.scrollTo(0, 0);
  }

  function keepOnPhone(form, why) {
    var entry = entryFrom(form);
    return store.put(entry).then(function () {
      saved(entry, why);
      askBackgroundSync();
      return refresh();
    }).then(function () {
      if (navigator.onLine) schedule(null);
    });
  }

  function showAnswer(html, url) {
    var doc = new DOMParser().parseFromString(html, 'text/html');
    document.title = doc.title;
    document.body.replaceWith(document.adoptNode(doc.body));
    if (url && url !== location.href) history.pushState({}, '', url);
    window.scrollTo(0, 0);
    if (window.htmx && htmx.process) htmx.process(document.body);
    setUp();
  }

  function sendContact(form) {
    var button = $('button[type=submit]', form);
    if (form.dataset.outboxUuid || !navigator.onLine) {
      return keepOnPhone(form, t(form.dataset.outboxUuid ? 'why_corrected' : 'why_offline'));
    }
    if (button) { button.disabled = true; button.setAttribute('aria-busy', 'true'); }
    var abort = new AbortController(), stop = setTimeout(function () { abort.abort(); }, FORM_TIMEOUT);
    return fetch(form.action, {method: 'POST', body: new FormData(form), credentials: 'same-origin',
      signal: abort.signal}).then(function (r) {
      clearTimeout(stop);
      var path = new URL(r.url).pathname;
      if (r.status >= 500) return keepOnPhone(form, t('why_server'));
      if (path === config.login || r.status === 401) return keepOnPhone(form, t('why_session'));
      if (r.status === 400) return keepOnPhone(form, t('why_expired'));
      return r.text().then(function (html) { showAnswer(html, r.redirected ? r.url : null); });
    }, function () {
      clearTimeout(stop);
      return keepOnPhone(form, t('why_no_answer'));
    });
  }

  function prepareForm(form) {
    var params = new URLSearchParams(location.search), uuid = $('input[name="uuid"]', form);
    if ($('#offline-copy')) {
      // A kept copy of the form is used again and again: each contact gets its own id and time.
      if (uuid) uuid.value = crypto.randomUUID();
      var when_ = $('#occurred_at', form);
      if (when_) when_.value = withOffset().slice(0, 16);
      var method = params.get('method');
      var radio = method && $('input[name="method"][value="' + CSS.escape(method) + '"]', form);
      if (radio) radio.checked = true;
    }
    var fix = params.get('outbox');
    if (fix) store.get(fix).then(function (entry) {
      if (!entry) return;
      if (entry.state === 'waiting') {
        // Held while it is changed, so that no sync sends the old version meanwhile.
        entry.state = 'attention';
        return store.put(entry).then(function () { fillForm(form, entry); });
      }
      if (entry.state === 'attention') return fillForm(form, entry);
      // Sent or being sent: a change now would reach the record as a second version.
      form.prepend(el('p', {'class': 'flash', role: 'status'}, t('already_sent')));
    });
  }

  function fillForm(form, entry) {
    form.dataset.outboxUuid = entry.uuid;
    $('input[name="uuid"]', form).value = entry.uuid;
    form.querySelectorAll('input[type=checkbox], input[type=radio]').forEach(function (box) {
      var value = entry[box.name];
      box.checked = Array.isArray(value) ? value.indexOf(box.value) >= 0 :
        box.name === 'interpreter_used' ? !!value : String(value) === box.value;
    });
    ['outcome', 'notes', 'follow_up_on', 'language'].forEach(function (name) {
      var field = form.elements[name];
      if (field) field.value = entry[name] || '';
    });
    if (form.elements.occurred_at) form.elements.occurred_at.value = entry.occurred_at.slice(0, 16);
    var errors = entry.errors || {};
    Object.keys(errors).forEach(function (name) {
      var field = form.elements[name], note = el('small', {'class': 'error'}, errors[name]);
      var anchor = field && (field.length && !field.tagName ? field[0].closest('fieldset') : field);
      if (anchor && anchor.closest('fieldset') && anchor.type !== 'select-one') anchor = anchor.closest('fieldset');
      if (anchor) anchor.after(note); else form.prepend(note);
    });
    form.prepend(Object.keys(errors).length ? el('p', {'class': 'flash error', role: 'alert'}, t('from_outbox')) :
      el('p', {'class': 'flash', role: 'status'}, t('changing')));
  }

  // -- the outbox page ---------------------------------------------------------------------

  // Why the last send failed, as outbox-store.js records it; anything unforeseen as the browser said it.
  function failure(backoff) {
    if (backoff.error === 'server') return t('error_server', {status: backoff.status});
    return backoff.error === 'no-answer' ? t('error_no_answer') :
      backoff.error === 'network' ? t('error_network') : backoff.error;
  }

  function renderOutbox(entries, backoff, lastSync) {
    var own = mine(entries), others = entries.length - own.length;
    var waiting = own.filter(store.isUnsent), attention = own.filter(function (e) { return e.state === 'attention'; });
    var queued = waiting.length - attention.length, parts = [];
    if (queued) parts.push(t('queued', {count: queued}));
    if (attention.length) parts.push(t('need_attention', {count: attention.length}));
    $('#outbox-summary').textContent = parts.length ? parts.join('; ') + '.' : t('nothing_waits');
    $('#outbox-last-sync').textContent = lastSync ? t('last_sync', {when: when(lastSync), ago: ago(lastSync)}) :
      t('never_synced');
    var status = $('#outbox-status');
    if (backoff && backoff.error && waiting.length) {
      var wait = Math.max(0, Math.round((backoff.next_try_at - Date.now()) / 1000));
      status.textContent = t('retrying', {error: failure(backoff), seconds: wait, count: backoff.attempts});
    } else if (status.textContent === t('sending')) {
      status.textContent = '';
    }
    var list = $('#outbox-list');
    list.replaceChildren.apply(list, own.sort(function (a, b) {
      var ua = store.isUnsent(a), ub = store.isUnsent(b);
      if (ua !== ub) return ua ? -1 : 1;
      return (b.saved_at || '').localeCompare(a.saved_at || '');
    }).map(outboxItem));
    var note = $('#outbox-others');
    note.hidden = !others;
    note.textContent = others ? t('others', {count: others}) : '';
  }

  function outboxItem(e) {
    var li = el('li', {'class': 'outbox-entry ' + e.state, 'data-uuid': e.uuid, 'data-state': e.state});
    var head = el('p');
    var state = ('state_' + e.state) in ENGLISH.text ? t('state_' + e.state) : e.state;
    head.append(el('span', {'class': 'pill state-' + e.state}, state), ' ');
    head.append(el('strong', {}, (e.method_label || e.method) + (e.student_name ? ' — ' + e.student_name : '')));
    li.append(head);
    li.append(el('p', {'class': 'muted'}, (e.outcome_label ? e.outcome_label + ' · ' : '') +
      when(e.occurred_at) + ' · ' + t('saved_at', {when: when(e.saved_at)})));
    if (e.state === 'synced' && e.receipt) {
      var r = el('p', {'class': 'receipt'});
      r.append(t('receipt', {id: e.receipt.contact_id, when: when(e.receipt.received_at)}) + ' ');
      if (e.student_url) r.append(el('a', {href: e.student_url + '#contact-' + e.receipt.contact_id}, t('see_on_record')));
      li.append(r);
    } else if (e.state === 'conflict') {
      li.append(el('p', {}, t('conflict', {id: e.conflict && e.conflict.id})));
    } else if (e.state === 'attention') {
      var ul = el('ul', {'class': 'reasons'});
      Object.keys(e.errors || {}).forEach(function (k) { ul.append(el('li', {}, e.errors[k])); });
      li.append(ul);
      var row = el('p', {'class': 'row'});
      row.append(el('a', {role: 'button', href: e.form_url + '?outbox=' + encodeURIComponent(e.uuid)}, t('fix')));
      var again = el('button', {type: 'button', 'class': 'link', 'data-retry': e.uuid}, t('retry'));
      row.append(again);
      li.append(row);
    } else if (e.last_error) {
      li.append(el('p', {'class': 'muted'}, e.last_error));
    }
    if (e.state === 'waiting') {
      var change = el('p');
      change.append(el('a', {href: e.form_url + '?outbox=' + encodeURIComponent(e.uuid)}, t('change')));
      li.append(change);
    }
    return li;
  }

  function retry(uuid) {
    return store.get(uuid).then(function (entry) {
      if (!entry) return;
      entry.state = 'waiting';
      delete entry.errors;
      return store.put(entry);
    }).then(function () { return syncNow('retry'); });
  }

  // -- logging out -----------------------------------------------------------------------

  function logOut(form) {
    var dialog = $('#logout-dialog');
    return store.unsent(null).then(function (waiting) {
      if (!waiting.length || !dialog || !dialog.showModal) return leave(form);
      $('[data-logout-count]', dialog).textContent = t('not_sent_yet', {count: waiting.length});
      dialog.showModal();
      $('[data-logout-cancel]', dialog).onclick = function () { dialog.close(); };
      $('[data-logout-anyway]', dialog).onclick = function () { leave(form); };
      $('[data-logout-sync]', dialog).onclick = function () {
        var status = $('[data-logout-status]', dialog);
        status.textContent = t('sending');
        syncNow('logout').then(function () { return store.unsent(null); }).then(function (left) {
          if (!left.length) { status.textContent = t('all_sent'); return leave(form); }
          status.textContent = t('could_not_send', {count: left.length});
        });
      };
    });
  }

  function leave(form) {
    // Nothing of the caseload or the outbox stays on the phone after logging out.
    return store.wipe().catch(function () {}).then(function () { form.submit(); });
  }

  // -- wiring ------------------------------------------------------------------------------

  function onSubmit(event) {
    var form = event.target;
    if (!store || !(form instanceof HTMLFormElement)) return;
    var isLogout = config.logout && new URL(form.action, location.href).pathname === config.logout;
    if (!isLogout && !(config.user && isContactForm(form))) return;
    event.preventDefault();
    event.stopImmediatePropagation();  // before htmx sees it
    (isLogout ? logOut(form) : sendContact(form)).catch(function () {
      if (!isLogout) keepOnPhone(form, t('why_failed'));
    });
  }

  function onClick(event) {
    var target = event.target;
    if (target.id === 'sync-now') { syncNow('button'); return; }
    if (target.dataset && target.dataset.retry) retry(target.dataset.retry);
  }

  function setUp() {
    config = readConfig();
    words = readWords();
    var form = $('form.contact-form');
    if (form && isContactForm(form)) prepareForm(form);
    refresh();
    if (config.user && navigator.onLine) {
      whenIdle(function () { keepPages(false); });
      clearTimeout(timer);
      schedule(null);
    }
  }

  function start() {
    if (!store) return;
    config = readConfig();
    words = readWords();
    register();
    window.addEventListener('submit', onSubmit, true);
    document.addEventListener('click', onClick);
    window.addEventListener('online', function () { store.meta('backoff', null).then(function () { syncNow('online'); }); });
    window.addEventListener('offline', refresh);
    window.addEventListener('online', refresh);
    document.addEventListener('htmx:after:settle', setUp);
    window.addEventListener('pageshow', function (e) { if (e.persisted) setUp(); });
    setUp();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
