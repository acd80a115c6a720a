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
      state_retry: 'Waiting to retry', next_try: 'The last send failed (%(error)s); next try %(when)s.',
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
      already_sent: 'This entry has left this phone already; correct it on the student\'s record once it has a receipt.',
      logout_title: 'Entries not sent yet', sync_now: 'Sync now', stay_logged_in: 'Stay logged in',
      logout_deletes: 'Logging out deletes everything kept on this phone, these entries too.',
      logout_anyway: 'Log out and delete them', locked_title: 'Logged out on this phone',
      locked_text: 'The phone had no signal when you logged out: your session ends on the server as ' +
        'soon as the phone is back online, before any page opens.',
      log_in: 'Log in',
      kept_marker: 'On this phone',
      find_offline: 'Offline: only the students kept on this phone are searched.',
      find_none: 'None of the students kept on this phone matches.',
      not_saved_title: 'Not saved on this phone',
      not_saved_why: 'The phone refused to store this contact (%(error)s), and it could not be sent just now.',
      not_saved_full: 'its storage is full',
      not_saved_todo: 'Everything you typed is still here. Keep this page open; free some space on the phone ' +
        '(photos, videos, other apps), then tap Save again. Once the network is back, Save sends it.',
      state_editing: 'Being changed',
      refused: 'The server could not take this entry (it answered %(status)s), although it took the others. ' +
        'It stays on this phone: try again as it is later, or fix and resend it.'
    },
    one: {
      waiting_badge: '%(count)s entry waiting', waits_here: '%(count)s entry waits on this phone.',
      queued: '%(count)s entry waiting on this phone', need_attention: '%(count)s entry needs attention',
      retrying: 'The last attempt failed (%(error)s). Trying again in %(seconds)s s; %(count)s attempt ' +
        'so far. Nothing is lost.',
      others: '%(count)s entry logged by another account also is kept on this phone.',
      not_sent_yet: '%(count)s entry has not reached the server yet.',
      could_not_send: '%(count)s entry could not be sent; stay logged in and try again when the ' +
        'network is better.',
      kept_all: 'The student of your %(count)s open case is kept on this phone for work offline.',
      kept_some: '%(count)s of your %(total)s open cases is kept on this phone (the one with the soonest follow-up).'
    },
    other: {
      waiting_badge: '%(count)s entries waiting', waits_here: '%(count)s entries wait on this phone.',
      queued: '%(count)s entries waiting on this phone', need_attention: '%(count)s entries need attention',
      retrying: 'The last attempt failed (%(error)s). Trying again in %(seconds)s s; %(count)s attempts ' +
        'so far. Nothing is lost.',
      others: '%(count)s entries logged by another account also are kept on this phone.',
      not_sent_yet: '%(count)s entries have not reached the server yet.',
      could_not_send: '%(count)s entries could not be sent; stay logged in and try again when the ' +
        'network is better.',
      kept_all: 'All %(count)s students of your open cases are kept on this phone for work offline.',
      kept_some: '%(count)s of your %(total)s open cases are kept on this phone (those with follow-ups soonest).'
    }
  };

  function $(sel, root) { return (root || document).querySelector(sel); }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text != null) node.textContent = text;
    return node;
  }

  // The words and addresses stay as the last full page gave them: a fragment swapped in
  // by HTMX, or the "saved on this phone" box, does not carry them and must not lose them.
  function readWords() {
    var node = $('#fieldapp-text');
    try { return node ? JSON.parse(node.textContent) : words || ENGLISH; } catch (e) { return words || ENGLISH; }
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
  // The outbox shows an entry's times (saved, next try, received) on the clock its contact
  // is stamped on: the school's (zone, as the contact form reads times), naming the zone
  // when the phone's clock is on another.
  var PHONE_ZONE = (window.Intl && Intl.DateTimeFormat().resolvedOptions().timeZone) || '';
  function whenAt(iso, zone) {
    if (!iso || !zone) return when(iso);
    var options = {month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZone: zone};
    if (zone !== PHONE_ZONE) options.timeZoneName = 'short';
    try {
      return new Date(iso).toLocaleString(document.documentElement.lang || [], options);
    } catch (e) { return when(iso); }  // a zone this browser does not know: the phone's clock
  }
  // A contact's time as it was typed: the wall time at the school (the offset it carries),
  // whatever zone the phone's clock is on.
  function whenThere(iso) {
    var wall = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)/.exec(iso || '');
    if (!wall) return when(iso);
    var p = wall.slice(1).map(Number);
    return new Date(Date.UTC(p[0], p[1] - 1, p[2], p[3], p[4])).toLocaleString(
      document.documentElement.lang || [], {month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit',
        timeZone: 'UTC'});
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
    if (!m) return config || {};
    return {user: m.dataset.user ? Number(m.dataset.user) : null, maySync: !!m.dataset.maySync,
      worker: m.dataset.worker, api: m.dataset.api, session: m.dataset.session,
      pages: m.dataset.pages, outbox: m.dataset.outbox, login: m.dataset.login,
      logout: m.dataset.logout, locked: m.dataset.locked};
  }

  // -- the service worker and the pages kept on the phone ------------------------

  function register() {
    if (!('serviceWorker' in navigator) || !config.worker) return;
    var workers = navigator.serviceWorker;
    workers.register(config.worker, {scope: '/'}).catch(function () {});
    // The worker takes charge of the pages open when it starts (clients.claim), but not of
    // one still on its way: the first page after a fast log-in, asked for while the worker
    // installed. Such a page asks to be taken, else it works without the worker (no kept
    // copy offline) until it is loaded again.
    workers.ready.then(function (registration) {
      if (!workers.controller && registration.active) registration.active.postMessage({type: 'claim'});
    });
    workers.addEventListener('message', function (event) {
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

  // Each kept page has a version (see fieldapp/sync/offline_copy.py). A refresh asks for
  // the list with the ETag of the last one: unchanged, the answer is an empty 304; else
  // only the pages whose version changed are fetched again, and every page at least
  // once a day.
  var PAGE_MAX_AGE = 24 * 60 * 60 * 1000;

  function refreshKept(force) {
    var known = ['pages_owner', 'pages_at', 'pages_lang', 'pages_etag', 'pages_versions']
      .map(function (k) { return store.meta(k); });
    var m;
    return Promise.all(known).then(function (meta) {
      m = meta;
      var stale = !m[1] || Date.now() - m[1] > PAGES_EVERY;
      if (m[0] !== config.user) {
        m[3] = m[4] = null;
        return caches.delete(store.PAGES).then(function () { return true; });
      }
      // The officer chose another language: the copies are fetched again in it.
      if (m[2] !== document.documentElement.lang) m[3] = m[4] = null;
      return force || stale || !m[3];
    }).then(function (due) {
      if (!due) return;
      var headers = m[3] && !force ? {'If-None-Match': m[3]} : {};
      return fetch(config.pages, {credentials: 'same-origin', cache: 'no-store', headers: headers}).then(function (r) {
        if (r.status === 304) return checked(new Date().toISOString());
        if (!r.ok) return null;
        var etag = r.headers.get('ETag');
        return r.json().then(function (list) { return copyPages(list, force ? {} : (m[4] || {}), etag); });
      });
    }).catch(function () {});
  }

  // Every kept page is as the server has it now.
  function checked(at) {
    return Promise.all([store.meta('pages_at', Date.now()), store.meta('pages_checked_at', at)]).then(function () {
      document.documentElement.dataset.pagesKept = at;
      return markKept();
    });
  }

  function copyPages(list, before, etag) {
    var at = new Date().toISOString(), kept = {}, versions = {}, complete = true;
    var wanted = list.versions || {};
    // Pages still on the caseload stay, even if fetching a fresh copy failed just now.
    var own = [list.home, list.offline, list.locked].filter(Boolean);
    list.pages.concat(own).forEach(function (url) {
      kept[new URL(url, location.href).href] = true;
    });
    function fresh(url, cache) {
      var old = before[url];
      if (!old || !wanted[url] || old.v !== wanted[url] || Date.now() - old.at > PAGE_MAX_AGE) {
        return Promise.resolve(false);
      }
      return cache.match(url, {ignoreVary: true}).then(Boolean);
    }
    function copy(cache, url) {
      // With the token of this refresh, the server logs this as a copy kept on the
      // phone, not as a person reading it.
      return fetch(url, {credentials: 'same-origin', cache: 'no-store',
                         headers: {'X-Offline-Copy': list.copy_token || ''}}).then(function (r) {
        if (!r.ok || r.redirected) throw new Error('not kept');
        return r.text().then(function (html) {
          var text = markCopy(html, at), headers = {'Content-Type': 'text/html; charset=utf-8'};
          var puts = [cache.put(url, new Response(text, {headers: headers}))];
          if (url === list.pages[0] && list.home) {  // the home address opens the caseload
            puts.push(cache.put(list.home, new Response(text, {headers: headers})));
          }
          return Promise.all(puts);
        });
      }).then(function () {
        versions[url] = {v: wanted[url], at: Date.now()};
      }, function () {
        complete = false;
        if (before[url]) versions[url] = before[url];
      });
    }
    return caches.open(store.PAGES).then(function (cache) {
      var chain = Promise.resolve();
      list.pages.forEach(function (url) {
        chain = chain.then(function () {
          return fresh(url, cache).then(function (same) {
            if (same) { versions[url] = before[url]; return; }
            return copy(cache, url);
          });
        });
      });
      [list.offline, list.locked].filter(Boolean).forEach(function (url) {
        chain = chain.then(function () { return keepOfflinePage(cache, url); });
      });
      return chain.then(function () { return cache.keys(); }).then(function (keys) {
        // A case that left the caseload leaves the phone too.
        return Promise.all(keys.filter(function (k) { return !kept[k.url]; })
          .map(function (k) { return cache.delete(k); }));
      });
    }).then(function () {
      return Promise.all([store.meta('pages_owner', config.user),
        store.meta('pages_lang', document.documentElement.lang), store.meta('kept_students', list.students || []),
        store.meta('open_cases', list.open_cases || 0), store.meta('pages_versions', versions),
        // An incomplete copy asks for the whole list again next time.
        store.meta('pages_etag', complete ? etag : null)]);
    }).then(function () {
      if (complete) return checked(at);
      return store.meta('pages_at', Date.now()).then(function () {
        document.documentElement.dataset.pagesKept = at;
        return markKept();
      });
    });
  }

  // -- what is kept on the phone, shown on the caseload; Find when offline ----------------

  // Each caseload card whose student is kept on this phone says so, and the caseload says
  // how many are, and whether that is all of them.
  function markKept() {
    var cards = document.querySelectorAll('ul[data-kept-markers] li.card');
    if (!cards.length || !window.caches) return Promise.resolve();
    return Promise.all([caches.open(store.PAGES), store.meta('kept_students'), store.meta('open_cases')])
      .then(function (m) {
        var cache = m[0], kept = m[1] || [], open = m[2] || 0;
        return Promise.all(Array.prototype.map.call(cards, function (card) {
          var link = $('a[href*="/students/"]', card);
          return link ? cache.match(link.getAttribute('href'), {ignoreVary: true}).then(function (hit) {
            var marker = $('.kept-marker', card);
            if (hit && !marker) {
              link.append(el('span', {'class': 'kept-marker'}, t('kept_marker')));
            } else if (!hit && marker) {
              marker.remove();
            }
            return !!hit;
          }) : false;
        })).then(function (found) {
          var count = found.filter(Boolean).length, h1 = $('main h1'), note = $('#kept-summary');
          if (!note && h1) { note = el('p', {id: 'kept-summary', 'class': 'muted kept-summary'}); h1.after(note); }
          if (!note) return;
          note.textContent = !count ? '' : open > kept.length ?
            t('kept_some', {count: kept.length, total: open}) : t('kept_all', {count: kept.length || count});
        });
      }).catch(function () {});
  }

  function fold(text) {
    return String(text || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  }

  // Offline, Find filters the students kept on this phone (every word typed must begin a
  // word of the name, or the student id), in place of asking the server.
  function findOffline(input) {
    var results = $('#results');
    if (!results || navigator.onLine) return;
    var words = fold(input.value).split(/[\s,]+/).filter(Boolean);
    store.meta('kept_students').then(function (kept) {
      results.replaceChildren();
      if (!words.length) return;
      var found = (kept || []).filter(function (s) {
        var name = fold(s.name).split(/[\s,'-]+/);
        return words.every(function (w) {
          return String(s.local_id).indexOf(w) === 0 || name.some(function (n) { return n.indexOf(w) === 0; });
        });
      });
      results.append(el('p', {'class': 'muted'}, t('find_offline')));
      if (!found.length) { results.append(el('p', {'class': 'muted'}, t('find_none'))); return; }
      var list = el('ul', {'class': 'results'});
      found.slice(0, 25).forEach(function (s) {
        var a = el('a', {href: s.url});
        a.append(el('strong', {}, s.name), el('span', {'class': 'muted'}, '#' + s.local_id + ' · ' + s.school));
        var li = el('li');
        li.append(a);
        list.append(li);
      });
      results.append(list);
    }).catch(function () {});
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
        badge.textContent = own.length > 99 ? '99+' : own.length;  // the exact count is in its label
        badge.hidden = !own.length;
        badge.setAttribute('aria-label', t('waiting_badge', {count: own.length}));
      }
      var deskLink = $('[data-outbox-when-waiting]');
      if (deskLink) deskLink.hidden = !own.length;
      return Promise.all([store.meta('auth'), store.meta('backoff'), store.meta('last_sync'),
        store.meta('pages_checked_at')])
        .then(function (m) {
          banners(own, m[0], m[3]);
          if ($('#outbox-list')) renderOutbox(entries, m[1], m[2]);
        });
    }).catch(function () {});
  }

  function banners(waiting, auth, checkedAt) {
    var banner = $('#offline-banner'), copy = $('#offline-copy'), alert = $('#sync-alert');
    if (banner) {
      var text = '';
      if (copy) {
        // A copy found unchanged at the last check is as current as that check.
        var asOf = checkedAt && checkedAt > copy.dataset.cachedAt ? checkedAt : copy.dataset.cachedAt;
        text = t(navigator.onLine ? 'copy_online' : 'copy_offline', {when: when(asOf), ago: ago(asOf)});
      } else if (!navigator.onLine && config.user && config.maySync) {
        // Only someone logged in who may sync keeps contacts on the phone: not on the
        // login page, nor on "Logged out on this phone".
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

  function askBackgroundSync(tag) {
    if (!('serviceWorker' in navigator)) return;
    navigator.serviceWorker.ready.then(function (reg) {
      return reg.sync && reg.sync.register(tag || 'outbox');
    }).catch(function () {});
  }

  // -- the contact form -----------------------------------------------------------------

  function isContactForm(form) {
    return form.matches && form.matches('form.contact-form') &&
      /\/cases\/\d+\/contacts\/new$/.test(new URL(form.action, location.href).pathname);
  }

  function two(n) { return (n < 10 ? '0' : '') + n; }

  // Minutes east of UTC of an IANA zone at the instant ms (from the browser's own zone data).
  function zoneOffset(zone, ms) {
    var v = {};
    new Intl.DateTimeFormat('en-US', {timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric',
      day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric'}).formatToParts(new Date(ms))
      .forEach(function (p) { v[p.type] = Number(p.value); });
    return Math.round((Date.UTC(v.year, v.month - 1, v.day, v.hour % 24, v.minute, v.second) -
      Math.floor(ms / 1000) * 1000) / 60000);
  }

  function stamp(y, mo, d, h, mi, s, off) {
    var sign = off >= 0 ? '+' : '-', abs = Math.abs(off);
    return y + '-' + two(mo) + '-' + two(d) + 'T' + two(h) + ':' + two(mi) + ':' + two(s) +
      sign + two(Math.floor(abs / 60)) + ':' + two(abs % 60);
  }

  // A time typed in the form (local, no offset), or now when none, with its UTC offset. The
  // form's times are the school's (data-zone, as the server reads them), not the phone's.
  function withOffset(local, zone) {
    var typed = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)(?::(\d\d))?/.exec(local || '');
    if (zone && window.Intl) {
      try {
        if (typed) {
          var p = typed.slice(1).map(function (x) { return Number(x || 0); });
          var naive = Date.UTC(p[0], p[1] - 1, p[2], p[3], p[4], p[5]);
          var off = zoneOffset(zone, naive - zoneOffset(zone, naive) * 60000);
          return stamp(p[0], p[1], p[2], p[3], p[4], p[5], off);
        }
        var now = Date.now(), o = zoneOffset(zone, now), t = new Date(now + o * 60000);
        return stamp(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate(), t.getUTCHours(),
          t.getUTCMinutes(), t.getUTCSeconds(), o);
      } catch (e) { /* a zone this browser does not know: the phone's own, as before */ }
    }
    var d = local ? new Date(local) : new Date();
    if (isNaN(d.getTime())) d = new Date();
    return stamp(d.getFullYear(), d.getMonth() + 1, d.getDate(), d.getHours(), d.getMinutes(),
      d.getSeconds(), -d.getTimezoneOffset());
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
      occurred_at: withOffset(data.get('occurred_at'), form.dataset.zone), saved_at: new Date().toISOString(),
      zone: form.dataset.zone || '',
      state: 'waiting', form_url: path, student_url: back ? back.getAttribute('href') : '',
      student_name: who ? who.textContent.split('·')[0].trim() : '',
      method_label: checked ? checked.parentNode.textContent.trim() : '',
      outcome_label: outcome && outcome.selectedIndex > 0 ? outcome.options[outcome.selectedIndex].text : ''
    };
  }

  function saved(entry, why) {
    var main = $('main'), box = el('section', {'class': 'saved-on-phone', role: 'status'});
    var what = {what: entry.method_label || t('contact'), student: entry.student_name,
      when: whenThere(entry.occurred_at)};
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

  // The browser's bubbles are off (novalidate): the server says what to fix, next to the
  // field. Offline it cannot, so the page's copy of what it says of an empty required field
  // (data-when-empty) is shown the same way, and nothing is kept until it is filled.
  function emptyFields(form) {
    var said = {};
    try { said = JSON.parse(form.dataset.whenEmpty || '{}'); } catch (e) { said = {}; }
    form.querySelectorAll('small.error[data-said-offline]').forEach(function (n) { n.remove(); });
    var data = new FormData(form), first = null;
    Object.keys(said).forEach(function (name) {
      var field = form.querySelector('[name="' + name + '"]');
      if (!field || data.get(name)) return;
      var box = field.closest('fieldset') || field;
      var note = el('small', {'class': 'error', id: name + '-error', 'data-said-offline': ''}, said[name]);
      if (box.tagName === 'FIELDSET') $('legend', box).after(note); else box.after(note);
      box.setAttribute('aria-invalid', 'true');
      box.setAttribute('aria-describedby', name + '-error');
      first = first || field;
    });
    if (first) {
      var button = $('button[type=submit]', form);
      if (button) { button.disabled = false; button.removeAttribute('aria-busy'); }
      first.focus();
      first.scrollIntoView({block: 'center'});
    }
    return !!first;
  }

  function keepOnPhone(form, why) {
    if (emptyFields(form)) return Promise.resolve();
    var entry = entryFrom(form);
    return store.put(entry).then(function () {
      stopHolding(false);  // only now: the old version stays held until the new one is stored
      saved(entry, why);
      askBackgroundSync();
      return refresh();
    }, function (error) {
      notSaved(form, error);
    }).then(function () {
      if (navigator.onLine) schedule(null);
    });
  }

  // The phone refused the write (storage full, private mode, a broken database): say so
  // on the form, keep every field as typed, and ask before the page is left.
  function notSaved(form, error) {
    var old = $('.not-saved', form);
    if (old) old.remove();
    var quota = error && (error.name === 'QuotaExceededError' || /quota/i.test(error.message || ''));
    var why = quota ? t('not_saved_full') : ((error && (error.name || error.message)) || '?');
    var box = el('div', {'class': 'flash error not-saved', role: 'alert'});
    box.append(el('strong', {}, t('not_saved_title')), el('p', {}, t('not_saved_why', {error: why})),
      el('p', {}, t('not_saved_todo')));
    form.prepend(box);
    box.scrollIntoView({block: 'start'});
    var button = $('button[type=submit]', form);
    if (button) { button.disabled = false; button.removeAttribute('aria-busy'); }
    window.addEventListener('beforeunload', keepTyped);
  }

  function keepTyped(event) {
    if (!$('form.contact-form .not-saved')) return;
    event.preventDefault();
    event.returnValue = '';
  }

  function showAnswer(html, url) {
    var doc = new DOMParser().parseFromString(html, 'text/html');
    document.title = doc.title;
    document.body.replaceWith(document.adoptNode(doc.body));
    // HTMX answers Back and Forward between entries of one document itself, and only for
    // entries it knows (state.htmx): it then fetches the page the address names. Both the
    // entry left and the one added are marked so, or the address and the screen would part.
    if (url && url !== location.href) {
      history.replaceState({htmx: true}, '', location.href);
      history.pushState({htmx: true}, '', url);
    }
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
      if (when_) when_.value = withOffset('', form.dataset.zone).slice(0, 16);
      var method = params.get('method');
      var radio = method && $('input[name="method"][value="' + CSS.escape(method) + '"]', form);
      if (radio) radio.checked = true;
      callBegun(form);
    }
    var fix = params.get('outbox');
    if (fix && form.dataset.outboxUuid !== fix) store.get(fix).then(function (entry) {
      if (!entry) return;
      if (entry.state === 'waiting' || entry.state === 'editing') {
        // Held while it is changed, so that no sync sends the old version meanwhile;
        // leaving the form without saving lets it wait again as it was.
        return store.holdWhileOpen(entry.uuid).then(function (letGo) {
          return store.hold(entry.uuid).then(function (heldEntry) {
            if (!heldEntry) {
              letGo();
              return form.prepend(el('p', {'class': 'flash', role: 'status'}, t('already_sent')));
            }
            fillForm(form, heldEntry);
            keepHolding(form, heldEntry.uuid, letGo);
          });
        });
      }
      if (entry.state === 'attention') return fillForm(form, entry);
      // Sent or being sent: a change now would reach the record as a second version.
      form.prepend(el('p', {'class': 'flash', role: 'status'}, t('already_sent')));
    });
  }

  var holding = null;  // {uuid, timer}: the entry whose form is open on this page

  function keepHolding(form, uuid, letGo) {
    stopHolding(false);
    holding = {uuid: uuid, letGo: letGo, timer: setInterval(function () {
      if (!form.isConnected || form.dataset.outboxUuid !== uuid) return stopHolding(false);
      store.hold(uuid);
    }, store.HEARTBEAT)};
  }

  // release: the page is going (Back, reload, a closed tab), so the entry waits again now
  // rather than when its hold lapses.
  function stopHolding(release) {
    if (!holding) return;
    clearInterval(holding.timer);
    holding.letGo();
    if (release) store.release(holding.uuid);
    holding = null;
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
    }).map(function (e) { return outboxItem(e, backoff); }));
    var note = $('#outbox-others');
    note.hidden = !others;
    note.textContent = others ? t('others', {count: others}) : '';
  }

  function outboxItem(e, backoff) {
    var li = el('li', {'class': 'outbox-entry ' + e.state, 'data-uuid': e.uuid, 'data-state': e.state});
    var head = el('p');
    var state = ('state_' + e.state) in ENGLISH.text ? t('state_' + e.state) : e.state;
    // After a failed send the entry waits for the next try: it says so, and when.
    var retrying = e.state === 'waiting' && backoff && backoff.error && backoff.next_try_at;
    if (retrying) state = t('state_retry');
    if (e.state === 'editing') li.classList.add('waiting');
    head.append(el('span', {'class': 'pill state-' + e.state}, state), ' ');
    head.append(el('strong', {}, (e.method_label || e.method) + (e.student_name ? ' — ' + e.student_name : '')));
    li.append(head);
    li.append(el('p', {'class': 'muted'}, (e.outcome_label ? e.outcome_label + ' · ' : '') +
      (e.zone ? whenAt(e.occurred_at, e.zone) : whenThere(e.occurred_at)) + ' · ' +
      t('saved_at', {when: whenAt(e.saved_at, e.zone)})));
    if (e.state === 'synced' && e.receipt) {
      var r = el('p', {'class': 'receipt'});
      r.append(t('receipt', {id: e.receipt.contact_id, when: whenAt(e.receipt.received_at, e.zone)}) + ' ');
      if (e.student_url) r.append(el('a', {href: e.student_url + '#contact-' + e.receipt.contact_id}, t('see_on_record')));
      li.append(r);
    } else if (e.state === 'conflict') {
      li.append(el('p', {}, t('conflict', {id: e.conflict && e.conflict.id})));
    } else if (e.state === 'attention') {
      var ul = el('ul', {'class': 'reasons'});
      Object.keys(e.errors || {}).forEach(function (k) { ul.append(el('li', {}, e.errors[k])); });
      if (e.refused) ul.append(el('li', {}, t('refused', {status: e.refused.status}) +
        (e.refused.error ? ' (' + e.refused.error + ')' : '')));
      li.append(ul);
      var row = el('p', {'class': 'row'});
      row.append(el('a', {role: 'button', href: e.form_url + '?outbox=' + encodeURIComponent(e.uuid)}, t('fix')));
      var again = el('button', {type: 'button', 'class': 'link', 'data-retry': e.uuid}, t('retry'));
      row.append(again);
      li.append(row);
    } else if (e.last_error) {
      li.append(el('p', {'class': 'muted'}, e.last_error));
    }
    if (retrying) {
      li.append(el('p', {'class': 'muted next-try'}, t('next_try', {error: failure(backoff),
        when: whenAt(new Date(backoff.next_try_at).toISOString(), e.zone)})));
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
      delete entry.refused;
      return store.put(entry);
    }).then(function () { return syncNow('retry'); });
  }

  // -- logging out -----------------------------------------------------------------------
  // The warning is built here, over whatever is on screen: it never depends on a part of
  // the page that an HTMX swap or the "saved on this phone" box may have replaced.

  function logoutDialog() {
    var old = $('#logout-dialog');
    if (old) old.remove();
    var dialog = el('dialog', {id: 'logout-dialog', 'aria-labelledby': 'logout-dialog-title'});
    var box = el('article'), row = el('p', {'class': 'row'}), last = el('p');
    box.append(el('h2', {id: 'logout-dialog-title'}, t('logout_title')), el('p', {'data-logout-count': ''}),
      el('p', {}, t('logout_deletes')));
    row.append(el('button', {type: 'button', 'data-logout-sync': ''}, t('sync_now')),
      el('button', {type: 'button', 'class': 'secondary', 'data-logout-cancel': ''}, t('stay_logged_in')));
    last.append(el('button', {type: 'button', 'class': 'link danger', 'data-logout-anyway': ''}, t('logout_anyway')));
    box.append(row, last, el('p', {'data-logout-status': '', role: 'status'}));
    dialog.append(box);
    document.body.append(dialog);
    return dialog;
  }

  function logOut(form) {
    return store.unsent(null).catch(function () { return []; }).then(function (waiting) {
      if (!waiting.length) return leave(form);
      var dialog = logoutDialog();
      $('[data-logout-count]', dialog).textContent = t('not_sent_yet', {count: waiting.length});
      dialog.showModal();
      $('[data-logout-cancel]', dialog).onclick = function () { dialog.close(); dialog.remove(); };
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

  // Wipe the phone, then end the session. With no signal (or no answer), the phone is
  // locked instead: it shows only that it is logged out, and the session is ended on
  // the server as soon as the network returns (see outbox-store.js, finishLogout).
  function leave(form) {
    var body = new FormData(form), action = form.action;
    return keptLockPage().then(function (page) {
      return store.wipe({keepShell: true}).catch(function () {}).then(function () {
        if (!navigator.onLine) throw new Error('offline');
        var abort = new AbortController(), stop = setTimeout(function () { abort.abort(); }, FORM_TIMEOUT);
        // Not followed: the login page is then opened as a page, with its "logged out" note.
        return fetch(action, {method: 'POST', body: body, credentials: 'same-origin', redirect: 'manual',
          signal: abort.signal}).finally(function () { clearTimeout(stop); });
      }).then(function (r) {
        if (r.type !== 'opaqueredirect' && !r.ok) throw new Error('logout answered ' + r.status);
        return store.wipe().catch(function () {}).then(function () { location.replace(config.login); });
      }).catch(function () { return lockHere(page); });
    });
  }

  // The "logged out on this phone" page, taken before the kept pages are wiped: the copy in
  // the officer's language, else the service worker's, else one written here.
  function keptLockPage() {
    if (!window.caches || !config.locked) return Promise.resolve(null);
    return caches.open(store.PAGES).then(function (c) { return c.match(config.locked, {ignoreVary: true}); })
      .then(function (hit) { return hit || caches.match(config.locked, {ignoreVary: true}); })
      .catch(function () { return null; });
  }

  function writtenLockPage() {
    var doc = document.implementation.createHTMLDocument(t('locked_title'));
    doc.documentElement.lang = document.documentElement.lang;
    var css = document.querySelectorAll('link[rel=stylesheet]');
    css.forEach(function (link) { doc.head.append(doc.importNode(link, true)); });
    var main = doc.createElement('main'), h1 = doc.createElement('h1'), p = doc.createElement('p');
    var go = doc.createElement('a');
    h1.textContent = t('locked_title');
    p.textContent = t('locked_text');
    go.textContent = t('log_in');
    go.href = config.login;
    go.setAttribute('role', 'button');
    main.append(h1, p, go);
    doc.body.append(main);
    return '<!doctype html>' + doc.documentElement.outerHTML;
  }

  function lockHere(page) {
    var html = page ? page.clone().text() : Promise.resolve(writtenLockPage());
    return html.then(function (text) {
      var kept = new Response(text, {headers: {'Content-Type': 'text/html; charset=utf-8'}});
      return store.lock(kept).catch(function () {}).then(function () { return text; });
    }).then(function (text) {
      askBackgroundSync('logout');
      if (navigator.serviceWorker && navigator.serviceWorker.controller && config.locked) {
        location.replace(config.locked);  // the service worker answers with the lock page
      } else {
        document.open();
        document.write(text);
        document.close();
      }
    });
  }

  // On any page: a lock left by a logout with no signal is finished once the network is here.
  // Back online on a phone locked by an offline logout: end the session on the server,
  // then show the login page. The first requests as the signal returns may fail or time
  // out; the phone keeps trying (2 s, 4 s, ... up to 30 s apart) while it stays locked,
  // rather than waiting on the lock page for the next change of signal.
  var lockRetry = null;
  function finishLock(attempt) {
    var tries = typeof attempt === 'number' ? attempt : 0;
    if (!store.locked) return Promise.resolve();
    clearTimeout(lockRetry);
    return store.locked().then(function (isLocked) {
      if (!isLocked || !navigator.onLine) return;
      return store.finishLogout(config).then(function () { location.replace(config.login); }, function () {
        lockRetry = setTimeout(function () { finishLock(tries + 1); }, Math.min(30000, 2000 * Math.pow(2, tries)));
      });
    });
  }

  // -- wiring ------------------------------------------------------------------------------

  function onSubmit(event) {
    var form = event.target;
    if (!store || !(form instanceof HTMLFormElement)) return;
    var isLogout = config.logout && new URL(form.action, location.href).pathname === config.logout;
    if (!isLogout && !(config.user && isContactForm(form))) return;
    event.preventDefault();
    event.stopImmediatePropagation();  // before htmx sees it
    (isLogout ? logOut(form) : sendContact(form)).catch(function (error) {
      if (!isLogout) notSaved(form, error);
    });
  }

  function onInput(event) {
    var input = event.target;
    if (input && input.matches && input.matches('form.search input[name=q]') && !navigator.onLine) {
      findOffline(input);
    }
  }

  // Tapping a guardian's number: the tel: link starts the call, and the page goes on to a
  // phone contact for it, filled in (by the server, or offline from what the link carries),
  // to finish after the call.
  var CALL_KEY = 'fieldapp-call';
  function logCall(link) {
    try {
      sessionStorage.setItem(CALL_KEY, JSON.stringify({url: link.dataset.logCall, notes: link.dataset.callNotes,
        people: (link.dataset.callPeople || '').split(' '), at: Date.now()}));
    } catch (e) { /* private mode: the server still fills the form online */ }
    setTimeout(function () { location.assign(link.dataset.logCall); }, 300);
  }
  function callBegun(form) {
    var call = null;
    try { call = JSON.parse(sessionStorage.getItem(CALL_KEY) || 'null'); } catch (e) { call = null; }
    if (!call || call.url !== location.pathname + location.search || Date.now() - call.at > 3600000) return;
    var notes = $('#notes', form);
    if (notes && !notes.value) notes.value = call.notes || '';
    (call.people || []).forEach(function (code) {
      var box = code && $('input[name="people_present"][value="' + CSS.escape(code) + '"]', form);
      if (box) box.checked = true;
    });
  }

  function onClick(event) {
    var target = event.target;
    var call = target.closest && target.closest('a[data-log-call]');
    if (call) { logCall(call); return; }
    if (target.id === 'sync-now') { syncNow('button'); return; }
    if (target.dataset && target.dataset.retry) retry(target.dataset.retry);
  }

  var keptFor = null;  // the address the kept pages were last checked from

  function setUp() {
    config = readConfig();
    words = readWords();
    var form = $('form.contact-form');
    if (form && isContactForm(form)) prepareForm(form);
    refresh();
    markKept();
    if (config.user && navigator.onLine) {
      // Once per page shown: a part of a page loaded into it (HTMX) is not a new page.
      if (keptFor !== location.href) {
        keptFor = location.href;
        whenIdle(function () { keepPages(false); });
      }
      clearTimeout(timer);
      schedule(null);
    }
  }

  // A form HTMX sent that the server answered with an error of its own (5xx: busy, or
  // failed) is left as it was, with what the user typed (htmx-config noSwap). Say so
  // beside it, in the server's words when it gave any, so the user sends it again.
  function onServerError(event) {
    var ctx = event.detail && event.detail.ctx;
    var status = ctx && ctx.response && ctx.response.status;
    if (!status || status < 500) return;
    var source = ctx.sourceElement || event.target;
    var sent = source && source.closest ? (source.closest('form') || source) : null;
    if (!sent || !sent.parentNode) return;
    var said = null;
    try {
      said = new DOMParser().parseFromString(ctx.text || '', 'text/html').querySelector('.error-page p');
    } catch (e) { said = null; }
    var text = said && said.textContent.trim() ? said.textContent.trim() : t('why_server');
    var note = $('[data-server-answer]', sent.parentNode);
    if (!note) {
      note = el('p', {'class': 'flash error', role: 'alert', 'data-server-answer': ''});
      sent.parentNode.insertBefore(note, sent);
    }
    note.textContent = text;
    if (note.scrollIntoView) note.scrollIntoView({block: 'nearest'});
  }

  function start() {
    document.addEventListener('htmx:response:error', onServerError);
    if (!store) return;
    config = readConfig();
    words = readWords();
    register();
    window.addEventListener('submit', onSubmit, true);
    document.addEventListener('click', onClick);
    document.addEventListener('input', onInput);
    window.addEventListener('online', function () { store.meta('backoff', null).then(function () { syncNow('online'); }); });
    window.addEventListener('online', finishLock);
    window.addEventListener('offline', refresh);
    window.addEventListener('online', refresh);
    document.addEventListener('htmx:after:settle', setUp);
    window.addEventListener('pageshow', function (e) { if (e.persisted) { keptFor = null; setUp(); } });
    window.addEventListener('pagehide', function () { stopHolding(true); });
    setUp();
    finishLock();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
