/* "Tick all on this page": a box whose data-tick-all names the boxes it ticks
 * (a CSS selector). It is shown only where this script runs (html.ticks);
 * without JavaScript each box is ticked one by one, as before. Loaded again
 * by each boosted page: the listener is added once. */
(function () {
  'use strict';
  document.documentElement.classList.add('ticks');
  if (window.fieldappTicks) return;
  window.fieldappTicks = true;
  function boxes(all) {
    return Array.prototype.filter.call(document.querySelectorAll(all.dataset.tickAll),
      function (box) { return !box.disabled; });
  }
  function show(all) {
    var list = boxes(all), on = list.filter(function (box) { return box.checked; }).length;
    all.checked = list.length > 0 && on === list.length;
    all.indeterminate = on > 0 && on < list.length;
  }
  document.addEventListener('change', function (event) {
    var box = event.target;
    if (!(box instanceof HTMLInputElement) || box.type !== 'checkbox') return;
    if (box.dataset.tickAll) {
      boxes(box).forEach(function (one) { one.checked = box.checked; });
      return;
    }
    Array.prototype.forEach.call(document.querySelectorAll('input[data-tick-all]'), function (all) {
      if (box.matches(all.dataset.tickAll)) show(all);
    });
  });
}());
