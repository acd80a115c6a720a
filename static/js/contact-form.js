/* The contact form offers only the outcomes the chosen method can have:
 * a phone call leaves no notice at a door. Each outcome <option> says its
 * methods in data-methods; the server refuses a pair that does not fit. */
(function () {
  'use strict';
  function fit(form) {
    var method = form.querySelector('input[name=method]:checked');
    var select = form.querySelector('select[name=outcome]');
    if (!select) return;
    Array.prototype.forEach.call(select.options, function (option) {
      if (!option.value) return;
      var fits = !method || (' ' + option.dataset.methods + ' ').indexOf(' ' + method.value + ' ') >= 0;
      option.hidden = !fits;
      option.disabled = !fits;
      if (!fits && option.selected) select.value = '';
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll('form.contact-form'), function (form) {
    if (form.dataset.outcomesFit) return;
    form.dataset.outcomesFit = '1';
    form.addEventListener('change', function (event) {
      if (event.target.name === 'method') fit(form);
    });
    fit(form);
  });
})();

/* A home visit's location, only with the officer's consent: ticking the box
 * asks the phone for its position once and keeps it in the form; unticking
 * clears it. A refusal or a failure says so and leaves the form as it was. */
(function () {
  'use strict';
  var text = {
    asking: 'Finding where you are…',
    denied: 'Location not added: the phone did not allow it. The visit saves without it.',
    failed: 'Location not added: the phone could not find its position. The visit saves without it.',
    added: 'Location added: '
  };
  function setUp(form) {
    var box = form.querySelector('input[name=share_location]');
    var field = form.querySelector('[data-location-for]');
    if (!box || !field || !navigator.geolocation) { if (field) field.hidden = true; return; }
    var lat = form.querySelector('input[name=latitude]'), lon = form.querySelector('input[name=longitude]');
    var status = field.querySelector('[data-location-status]');
    var words = field.dataset;
    function show() {
      var method = form.querySelector('input[name=method]:checked');
      field.hidden = !method || method.value !== field.dataset.locationFor;
      if (field.hidden && box.checked) {  // a location belongs to a visit only
        box.checked = false;
        lat.value = lon.value = '';
        say('cleared');
      }
    }
    function say(key, extra) { status.textContent = (words[key] || text[key]) + (extra || ''); }
    box.addEventListener('change', function () {
      lat.value = lon.value = '';
      if (!box.checked) { say('cleared'); return; }
      say('asking');
      navigator.geolocation.getCurrentPosition(function (position) {
        lat.value = position.coords.latitude.toFixed(6);
        lon.value = position.coords.longitude.toFixed(6);
        say('added', position.coords.latitude.toFixed(5) + ', ' + position.coords.longitude.toFixed(5));
      }, function (error) {
        box.checked = false;
        say(error.code === 1 ? 'denied' : 'failed');
      }, {enableHighAccuracy: true, timeout: 15000, maximumAge: 60000});
    });
    form.addEventListener('change', function (event) { if (event.target.name === 'method') show(); });
    show();
  }
  Array.prototype.forEach.call(document.querySelectorAll('form.contact-form'), function (form) {
    if (form.dataset.locationReady) return;
    form.dataset.locationReady = '1';
    setUp(form);
  });
})();
