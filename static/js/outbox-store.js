/* The outbox kept on this phone (IndexedDB) and the sending of it.
 *
 * Loaded by the pages and by the service worker, so both send the same way.
 * Every entry carries a UUID made on the phone; the server stores each UUID
 * once, so a resend, a lost answer or two senders at once never double an
 * entry. An entry leaves the "waiting" states only with the server's answer. */
(function (scope) {
  'use strict';

  var DB_NAME = 'fieldapp';
  var BATCH = 50;            // entries per request
  var KEEP_SENT = 50;        // receipts kept to show; older ones are pruned
  var BASE_DELAY = 3000;     // first retry after a failure; doubles each time
  var MAX_DELAY = 15 * 60 * 1000;
  var UNSENT = ['waiting', 'sending', 'attention', 'editing'];
  // An entry whose form is open is held back from sync for as long as that page lives:
  // the page holds a Web Lock named after the entry, which the browser lets go when the
  // page is left, reloaded, closed or crashes; the entry is then waiting again, as it was.
  // Where the browser has no Web Locks, the page renews the hold every HEARTBEAT instead
  // and it lapses after HOLD.
  var HOLD = 20000, HEARTBEAT = 5000, EDIT_LOCK = 'fieldapp-edit-';
  var locks = scope.navigator && scope.navigator.locks;

  // The uuids whose forms are open on some page of this phone, or null without Web Locks.
  function editing() {
    if (!locks) return Promise.resolve(null);
    return locks.query().then(function (state) {
      var open = {};
      (state.held || []).forEach(function (l) {
        if (l.name && l.name.indexOf(EDIT_LOCK) === 0) open[l.name.slice(EDIT_LOCK.length)] = true;
      });
      return open;
    }, function () { return null; });
  }

  function held(e, open) {
    if (!e || e.state !== 'editing') return false;
    return open ? !!open[e.uuid] : Date.now() - (e.held_at || 0) < HOLD;
  }

  // As stored, except that a hold no page keeps any more reads as waiting.
  function current(e, open) {
    if (e && e.state === 'editing' && !held(e, open)) e.state = 'waiting';
    return e;
  }

  // Hold uuid for as long as this page lives (resolves once the lock is taken); returns
  // a function that lets it go.
  function holdWhileOpen(uuid) {
    if (!locks) return Promise.resolve(function () {});
    return new Promise(function (taken) {
      locks.request(EDIT_LOCK + uuid, {ifAvailable: true}, function (lock) {
        if (!lock) return taken(function () {});  // open in another tab too, which holds it
        return new Promise(function (letGo) { taken(letGo); });
      }).catch(function () { taken(function () {}); });
    });
  }

  function request(req) {
    return new Promise(function (resolve, reject) {
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }

  function openDb() {
    var req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = function () {
      var db = req.result;
      if (!db.objectStoreNames.contains('entries')) db.createObjectStore('entries', {keyPath: 'uuid'});
      if (!db.objectStoreNames.contains('meta')) db.createObjectStore('meta');
    };
    return request(req).then(function (db) {
      db.onversionchange = function () { db.close(); };  // let a logout delete the database
      return db;
    });
  }

  // Run work(stores) in one transaction; resolve with its result once committed.
  function transact(names, mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(names, mode), result;
        var stores = names.map(function (n) { return tx.objectStore(n); });
        Promise.resolve(work.apply(null, stores)).then(function (r) { result = r; }, reject);
        tx.oncomplete = function () { db.close(); resolve(result); };
        tx.onerror = tx.onabort = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function all() {
    return editing().then(function (open) {
      return transact(['entries'], 'readonly', function (s) { return request(s.getAll()); })
        .then(function (entries) { return entries.map(function (e) { return current(e, open); }); });
    });
  }

  function get(uuid) {
    return editing().then(function (open) {
      return transact(['entries'], 'readonly', function (s) { return request(s.get(uuid)); })
        .then(function (e) { return current(e, open); });
    });
  }

  // Hold a waiting entry while its form is open (or keep holding it); resolves with the
  // entry, or null when it is not waiting (sent meanwhile, or being fixed).
  function hold(uuid) {
    return editing().then(function (open) {
      if (open) delete open[uuid];  // this page's own lock, if it already has it
      return transact(['entries'], 'readwrite', function (s) {
        return request(s.get(uuid)).then(function (e) {
          e = current(e, open);
          if (!e || (e.state !== 'waiting' && e.state !== 'editing')) return null;
          e.state = 'editing';
          e.held_at = Date.now();
          s.put(e);
          return e;
        });
      });
    });
  }

  // The form was left without saving: the entry waits again, unchanged.
  function release(uuid) {
    return transact(['entries'], 'readwrite', function (s) {
      return request(s.get(uuid)).then(function (e) {
        if (e && e.state === 'editing') { e.state = 'waiting'; delete e.held_at; s.put(e); }
      });
    });
  }

  function put(entry) {
    return transact(['entries'], 'readwrite', function (s) {
      return request(s.get(entry.uuid)).then(function (old) {
        entry.rev = ((old && old.rev) || 0) + 1;
        s.put(entry);
        return entry;
      });
    });
  }

  function remove(uuid) {
    return transact(['entries'], 'readwrite', function (s) { s.delete(uuid); });
  }

  function meta(key, value) {
    if (value === undefined) {
      return transact(['meta'], 'readonly', function (s) { return request(s.get(key)); });
    }
    return transact(['meta'], 'readwrite', function (s) { s.put(value, key); return value; });
  }

  function isUnsent(e) { return UNSENT.indexOf(e.state) >= 0; }

  function unsent(userId) {
    return all().then(function (entries) {
      return entries.filter(function (e) {
        return isUnsent(e) && (userId == null || e.user_id === userId);
      });
    });
  }

  function deviceId() {
    return meta('device_id').then(function (id) {
      if (id) return id;
      return meta('device_id', (scope.crypto && crypto.randomUUID) ? crypto.randomUUID()
        : String(Date.now()) + '-' + Math.random().toString(16).slice(2));
    });
  }

  function report() {
    return Promise.all([deviceId(), unsent(null)]).then(function (r) {
      var oldest = r[1].map(function (e) { return e.saved_at; }).sort()[0] || null;
      return {id: r[0], pending: r[1].length, oldest_at: oldest};
    });
  }

  function timed(url, options, ms) {
    var abort = new AbortController();
    var timer = setTimeout(function () { abort.abort(); }, ms);
    options.signal = abort.signal;
    options.credentials = 'same-origin';
    options.cache = 'no-store';
    return fetch(url, options).finally(function () { clearTimeout(timer); });
  }

  // What the server needs of an entry; the rest (labels, names, state) stays here.
  var SENT_FIELDS = ['uuid', 'user_id', 'case_id', 'method', 'outcome', 'reasons', 'people_present',
    'notes', 'follow_up_on', 'interpreter_used', 'language', 'latitude', 'longitude', 'siblings',
    'occurred_at', 'saved_at'];

  function payload(entry) {
    var out = {};
    SENT_FIELDS.forEach(function (k) { if (entry[k] !== undefined) out[k] = entry[k]; });
    return out;
  }

  // After a receipt the phone keeps only what the outbox shows, not the notes.
  function receipted(entry, result) {
    var kept = {uuid: entry.uuid, user_id: entry.user_id, case_id: entry.case_id, rev: entry.rev,
      method: entry.method, method_label: entry.method_label, outcome_label: entry.outcome_label,
      student_name: entry.student_name, student_url: entry.student_url,
      occurred_at: entry.occurred_at, saved_at: entry.saved_at, zone: entry.zone, sent_at: new Date().toISOString()};
    if (result.status === 'conflict') {
      kept.state = 'conflict';
      kept.conflict = result.conflict;
    } else {
      kept.state = 'synced';
      kept.receipt = result.receipt;
      kept.duplicate = result.status === 'duplicate';
    }
    return kept;
  }

  function applyResults(sent, results) {
    return transact(['entries'], 'readwrite', function (s) {
      var work = results.map(function (result) {
        var rev = sent[result.uuid];
        if (!result.uuid || rev === undefined) return null;
        return request(s.get(result.uuid)).then(function (entry) {
          // Edited on the phone while this send was under way: the newer version waits.
          if (!entry || entry.rev !== rev || !isUnsent(entry)) return;
          if (result.status === 'created' || result.status === 'duplicate' ||
              result.status === 'conflict') {
            s.put(receipted(entry, result));
          } else if (result.status === 'invalid') {
            entry.state = 'attention';
            entry.errors = result.errors || {};
            delete entry.refused;
            s.put(entry);
          } else {
            entry.state = 'waiting';
            entry.last_error = result.message || result.status;
            s.put(entry);
          }
        });
      });
      return Promise.all(work);
    });
  }

  function markSending(chunk) {
    return editing().then(function (open) {
      return transact(['entries'], 'readwrite', function (s) {
        return Promise.all(chunk.map(function (e) {
          return request(s.get(e.uuid)).then(function (cur) {
            if (cur && cur.rev === e.rev && isUnsent(cur) && !held(cur, open)) { cur.state = 'sending'; s.put(cur); }
          });
        }));
      });
    });
  }

  function unmarkSending(chunk) {
    return transact(['entries'], 'readwrite', function (s) {
      return Promise.all(chunk.map(function (e) {
        return request(s.get(e.uuid)).then(function (cur) {
          if (cur && cur.state === 'sending') { cur.state = 'waiting'; s.put(cur); }
        });
      }));
    });
  }

  function prune() {
    return all().then(function (entries) {
      var sent = entries.filter(function (e) { return !isUnsent(e); })
        .sort(function (a, b) { return (b.sent_at || '').localeCompare(a.sent_at || ''); });
      return Promise.all(sent.slice(KEEP_SENT).map(function (e) { return remove(e.uuid); }));
    });
  }

  function answered(status) {
    var error = new Error('server answered ' + status);
    error.status = status;
    return error;
  }

  // Why a send failed, as a code the page words in the officer's language (see outbox.js);
  // an error nobody foresaw keeps the browser's own words.
  function reason(error) {
    var message = (error && error.message) || '';
    if (error && error.name === 'AbortError') return {error: 'no-answer'};
    if (error && error.status) return {error: 'server', status: error.status};
    if (!message || /^Failed to fetch|NetworkError|Load failed/.test(message)) return {error: 'network'};
    return {error: message};
  }

  function failed(why) {
    return meta('backoff').then(function (b) {
      var attempts = ((b && b.attempts) || 0) + 1;
      var delay = Math.min(BASE_DELAY * Math.pow(2, attempts - 1), MAX_DELAY);
      delay = Math.round(delay * (0.8 + Math.random() * 0.4));
      return meta('backoff', {attempts: attempts, next_try_at: Date.now() + delay, error: why.error,
        status: why.status, at: new Date().toISOString()});
    });
  }

  function session(config) {
    return timed(config.session, {headers: {'Accept': 'application/json'}}, 15000).then(function (r) {
      if (r.status === 401) return {status: 'login'};
      if (!r.ok) throw answered(r.status);
      return r.json();
    });
  }

  function post(config, token, body) {
    return timed(config.api, {method: 'POST', body: JSON.stringify(body), headers: {
      'Content-Type': 'application/json', 'Accept': 'application/json', 'X-CSRFToken': token}}, 60000);
  }

  function sendAll(config, who) {
    var counts = {};
    function next() {
      return unsent(who.user_id).then(function (entries) {
        var chunk = entries.filter(function (e) { return e.state === 'waiting' || e.state === 'sending'; })
          .sort(function (a, b) { return a.saved_at.localeCompare(b.saved_at); }).slice(0, BATCH);
        if (!chunk.length) return {status: 'ok', counts: counts};
        return sendChunk(config, who, chunk, counts).then(function (r) {
          return r.status === 'login' ? r : next();
        });
      });
    }
    return next();
  }

  // A request refused as a whole because of what it carries (a 500, a body too large, or
  // an answer that says so with "whole": true): splitting the chunk finds the entry the
  // server cannot take, while the others go through. A CSRF refusal, a 502-504 or a lost
  // network is about the moment, not the entries: the whole run backs off and retries.
  function refusedWhole(status, body) {
    return status === 500 || status === 413 || !!(body && body.whole);
  }

  function sendChunk(config, who, chunk, counts) {
    return sendPart(config, who, chunk, counts).then(function (part) {
      if (part.status === 'login' || !part.lone.length) return part;
      // Every entry failed alone with a 500 and none went through: the server, not the
      // entries, is at fault; keep them all waiting and try again later.
      if (!part.anyOk && part.lone.every(function (l) { return l.status >= 500; })) {
        return unmarkSending(chunk).then(function () { throw answered(part.lone[0].status); });
      }
      return holdAlone(part.lone).then(function () { return part; });
    });
  }

  // Send part of a chunk; split it while the server refuses it whole. Resolves with
  // {status, anyOk (some entry was answered), lone: [{entry, rev, status, error}]}.
  function sendPart(config, who, chunk, counts) {
    var sent = {};
    chunk.forEach(function (e) { sent[e.uuid] = e.rev; });
    return markSending(chunk).then(report).then(function (device) {
      return post(config, who.csrf_token, {device: device, entries: chunk.map(payload)});
    }).then(function (r) {
      if (r.status === 401) return unmarkSending(chunk).then(function () { return {status: 'login', lone: []}; });
      if (r.ok) {
        return r.json().then(function (data) {
          (data.results || []).forEach(function (x) { counts[x.status] = (counts[x.status] || 0) + 1; });
          return applyResults(sent, data.results || []);
        }).then(function () { return {status: 'ok', anyOk: true, lone: []}; });
      }
      return r.json().catch(function () { return {}; }).then(function (body) {
        if (!refusedWhole(r.status, body)) throw answered(r.status);
        if (chunk.length === 1) {
          return {status: 'ok', anyOk: false,
                  lone: [{entry: chunk[0], rev: chunk[0].rev, status: r.status, error: body.error || ''}]};
        }
        var half = Math.ceil(chunk.length / 2);
        return unmarkSending(chunk).then(function () {
          return sendPart(config, who, chunk.slice(0, half), counts);
        }).then(function (first) {
          if (first.status === 'login') return first;
          return sendPart(config, who, chunk.slice(half), counts).then(function (second) {
            if (second.status === 'login') return second;
            return {status: 'ok', anyOk: first.anyOk || second.anyOk, lone: first.lone.concat(second.lone)};
          });
        });
      });
    }).catch(function (error) {
      // Whatever failed (the network, or an answer that is no answer: a 502-504, a CSRF
      // refusal), the entries wait for the next try: none stays marked as being sent.
      return unmarkSending(chunk).then(function () { throw error; });
    });
  }

  // The entries the server could not take even alone: kept, marked as needing attention
  // with the server's answer, so the officer sees why and the rest of the outbox moves on.
  function holdAlone(lone) {
    return transact(['entries'], 'readwrite', function (s) {
      return Promise.all(lone.map(function (l) {
        return request(s.get(l.entry.uuid)).then(function (cur) {
          if (!cur || cur.rev !== l.rev || !isUnsent(cur)) return;
          cur.state = 'attention';
          cur.refused = {status: l.status, error: l.error, at: new Date().toISOString()};
          cur.errors = {};
          s.put(cur);
        });
      }));
    });
  }

  function finish(config, who, result) {
    // Tell the server what is left, so a supervisor sees phones whose entries wait.
    return report().then(function (device) {
      return post(config, who.csrf_token, {device: device, entries: []}).catch(function () {});
    }).then(function () {
      return Promise.all([meta('last_sync', new Date().toISOString()), meta('backoff', null),
        meta('auth', 'ok'), prune()]);
    }).then(function () { return result; });
  }

  function run(config) {
    var who;
    return session(config).then(function (s) {
      if (s.status === 'login') return meta('auth', 'expired').then(function () { return s; });
      who = s;
      if (!s.may_sync) return {status: 'ok', counts: {}};
      return sendAll(config, s).then(function (result) {
        if (result.status === 'login') return meta('auth', 'expired').then(function () { return result; });
        return finish(config, who, result);
      });
    }).catch(function (error) {
      var why = reason(error);
      return failed(why).then(function () { return {status: 'error', error: why.error}; });
    });
  }

  // One sender at a time per phone (page or service worker); the server copes with more.
  function sync(config) {
    var locks = scope.navigator && scope.navigator.locks;
    if (!locks) return run(config);
    return locks.request('fieldapp-outbox', {ifAvailable: true}, function (lock) {
      return lock ? run(config) : {status: 'busy'};
    });
  }

  // Everything kept for the officer goes: the outbox, the kept pages. keepShell leaves
  // the app's own files (CSS, scripts, icons: nothing about anyone), so a phone locked
  // while offline can still show that it is locked.
  function wipe(options) {
    var keepShell = options && options.keepShell;
    var dropCaches = scope.caches ? caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (k) {
        return !(keepShell && k.indexOf('fieldapp-shell-') === 0) && k !== LOCK;
      }).map(function (k) { return caches.delete(k); }));
    }) : Promise.resolve();
    var dropDb = new Promise(function (resolve) {
      var req = indexedDB.deleteDatabase(DB_NAME);
      req.onsuccess = req.onerror = function () { resolve(); };
      req.onblocked = function () { setTimeout(resolve, 500); };
    });
    return Promise.all([dropCaches, dropDb]);
  }

  // -- logging out with no signal ------------------------------------------------------
  // The phone is wiped and locked at once; the session is ended on the server as soon
  // as the phone is back online (by the page, a navigation, or Background Sync). While
  // the lock stands, every page opened shows that the phone is logged out, never a record.
  var LOCK = 'fieldapp-lock', LOCK_PAGE = '/__fieldapp-locked';

  function lock(page) {
    return caches.open(LOCK).then(function (cache) {
      return cache.put(LOCK_PAGE, page);
    });
  }

  function locked() {
    if (!scope.caches) return Promise.resolve(false);
    return caches.has(LOCK).then(function (has) {
      return has && caches.open(LOCK).then(function (c) { return c.match(LOCK_PAGE); }).then(Boolean);
    });
  }

  function lockPage() {
    return caches.open(LOCK).then(function (c) { return c.match(LOCK_PAGE); });
  }

  // End the session on the server (POST logout with a fresh CSRF token); resolves true
  // once it is over (also when it had already ended), and lifts the lock.
  function finishLogout(config) {
    return timed(config.session, {headers: {'Accept': 'application/json'}}, 15000).then(function (r) {
      if (r.status === 401) return true;
      if (!r.ok) throw answered(r.status);
      return r.json().then(function (s) {
        var body = new URLSearchParams({csrf_token: s.csrf_token});
        return timed(config.logout, {method: 'POST', body: body, headers: {'X-CSRFToken': s.csrf_token}},
                     15000).then(function (out) {
          if (!out.ok) throw answered(out.status);
          return true;
        });
      });
    }).then(function () {
      return caches.delete(LOCK).then(function () { return true; });
    });
  }

  scope.FieldOutbox = {all: all, get: get, put: put, remove: remove, meta: meta, unsent: unsent,
    sync: sync, wipe: wipe, report: report, isUnsent: isUnsent, PAGES: 'fieldapp-pages',
    lock: lock, locked: locked, lockPage: lockPage, finishLogout: finishLogout,
    hold: hold, release: release, holdWhileOpen: holdWhileOpen, HEARTBEAT: HEARTBEAT};
})(self);
