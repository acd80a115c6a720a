/* fieldapp's service worker (scope /), version __VERSION__.
 *
 * The app shell (CSS, JS, icons, the offline page) is cached on install. Pages
 * go to the network first; when it fails, the copy kept on this phone (the
 * officer's caseload, put there by static/js/outbox.js) is served, marked as a
 * copy, else the offline page. Background Sync sends the outbox. */
'use strict';
importScripts('__STORE__');

var SHELL = __SHELL__;
var OFFLINE = '__OFFLINE__';
var SHELL_CACHE = 'fieldapp-shell-__VERSION__';
var CONFIG = {api: '__API__', session: '__SESSION__', logout: '__LOGOUT__'};
var PAGE_TIMEOUT = 8000;
var CONTACT_FORM = /^\/cases\/\d+\/contacts\/new$/;

self.addEventListener('install', function (event) {
  event.waitUntil(caches.open(SHELL_CACHE).then(function (cache) {
    return cache.addAll(SHELL);
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener('activate', function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) {
      return k.indexOf('fieldapp-shell-') === 0 && k !== SHELL_CACHE;
    }).map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

function fromShell(request) {
  return caches.open(SHELL_CACHE).then(function (cache) {
    return cache.match(request, {ignoreVary: true}).then(function (hit) {
      return hit || fetch(request);
    });
  });
}

function keptPage(url) {
  return caches.open(FieldOutbox.PAGES).then(function (cache) {
    return cache.match(url, {ignoreVary: true}).then(function (hit) {
      // A contact form kept for a case serves every ?method= link to it.
      if (hit || !CONTACT_FORM.test(new URL(url).pathname)) return hit;
      return cache.match(url, {ignoreVary: true, ignoreSearch: true});
    });
  });
}

function networkWithTimeout(request) {
  return new Promise(function (resolve, reject) {
    var timer = setTimeout(function () { reject(new Error('timeout')); }, PAGE_TIMEOUT);
    fetch(request).then(function (r) { clearTimeout(timer); resolve(r); },
      function (e) { clearTimeout(timer); reject(e); });
  });
}

// The offline page kept with the caseload is in the officer's language; the shell's
// copy, in the language the phone had when this worker was installed.
function offlinePage() {
  return caches.open(FieldOutbox.PAGES).then(function (cache) {
    return cache.match(OFFLINE, {ignoreVary: true});
  }).then(function (kept) {
    return kept || caches.match(OFFLINE, {ignoreVary: true});
  });
}

// After a logout with no signal the phone is locked: before any page opens, the
// session is ended on the server; until that works, every page is the lock page.
function page(request) {
  return FieldOutbox.locked().then(function (isLocked) {
    if (!isLocked) return networkOrKept(request);
    return FieldOutbox.finishLogout(CONFIG).then(function () { return networkOrKept(request); },
      function () {
        return FieldOutbox.lockPage().then(function (locked) {
          return locked || new Response('Logged out on this phone.', {status: 503,
            headers: {'Content-Type': 'text/plain; charset=utf-8'}});
        });
      });
  });
}

function networkOrKept(request) {
  return networkWithTimeout(request).catch(function () {
    return keptPage(request.url).then(function (hit) {
      return hit || offlinePage().then(function (offline) {
        return offline || Response.error();
      });
    });
  });
}

self.addEventListener('fetch', function (event) {
  var request = event.request;
  if (request.method !== 'GET') return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.indexOf('/api/') === 0 ||
      url.pathname === '/sw.js') return;
  if (url.pathname.indexOf('/static/') === 0 || SHELL.indexOf(url.pathname) >= 0 &&
      url.pathname !== OFFLINE) {
    event.respondWith(fromShell(request));
  } else if (request.mode === 'navigate' || request.headers.get('HX-Boosted')) {
    // Whole pages only: a fragment asked for by HTMX fails as it would without us,
    // so a page is never swapped into a part of another.
    event.respondWith(page(request));
  }
});

function tellPages(message) {
  return self.clients.matchAll({includeUncontrolled: true}).then(function (list) {
    list.forEach(function (client) { client.postMessage(message); });
  });
}

self.addEventListener('sync', function (event) {
  if (event.tag === 'logout') {  // a phone locked offline: end the session once back online
    event.waitUntil(FieldOutbox.locked().then(function (isLocked) {
      return isLocked && FieldOutbox.finishLogout(CONFIG);
    }));
    return;
  }
  if (event.tag !== 'outbox') return;
  event.waitUntil(FieldOutbox.sync(CONFIG).then(function (result) {
    return tellPages({type: 'outbox-changed', result: result}).then(function () {
      // Let the browser try again later, with its own backoff.
      if (result.status === 'error') throw new Error(result.error);
    });
  }));
});

self.addEventListener('message', function (event) {
  // A page that opened while this worker was taking charge (see register() in outbox.js).
  if (event.data && event.data.type === 'claim') {
    event.waitUntil(self.clients.claim());
  } else if (event.data && event.data.type === 'sync') {
    event.waitUntil(FieldOutbox.sync(CONFIG).then(function (result) {
      return tellPages({type: 'outbox-changed', result: result});
    }));
  }
});
