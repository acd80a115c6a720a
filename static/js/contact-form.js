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
