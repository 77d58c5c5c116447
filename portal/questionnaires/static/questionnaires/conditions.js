/* Display conditions of a questionnaire form: shows a question only while the answer it depends
 * on meets its condition, as the server does (the server also drops answers to hidden questions).
 * Without this script every question is shown with a note saying when to answer it. */
(function () {
  "use strict";
  var form = document.querySelector("form.questionnaire-form");
  if (!form) { return; }
  var rows = Array.prototype.slice.call(form.querySelectorAll("[data-question]"));

  function fold(text) {
    return (text || "").normalize("NFKC").trim().toLowerCase();
  }

  function valueOf(name) {
    var inputs = form.querySelectorAll('[name="' + name + '"]');
    var values = [];
    Array.prototype.forEach.call(inputs, function (input) {
      if ((input.type === "radio" || input.type === "checkbox") && !input.checked) { return; }
      if (input.value !== "") { values.push(input.value); }
    });
    return values;
  }

  function holds(row) {
    var kind = row.dataset.conditionKind;
    var operator = row.dataset.conditionOperator;
    var target = row.dataset.conditionTarget;
    var values = valueOf(row.dataset.conditionField);
    if (!values.length || target === "") { return false; }
    if (operator === "includes") { return values.indexOf(target) !== -1; }
    var value = values[0];
    if (operator === "at_least") {
      if (kind === "date") { return value >= target; }
      return parseFloat(value) >= parseFloat(target);
    }
    if (kind === "number") { return parseFloat(value) === parseFloat(target); }
    if (kind === "short_text" || kind === "long_text") { return fold(value) === target; }
    return value === target;
  }

  function rowFor(fieldName) {
    var input = form.querySelector('[name="' + fieldName + '"]');
    return input ? input.closest("[data-question]") : null;
  }

  function update() {
    rows.forEach(function (row) {
      if (!row.dataset.conditionField) { return; }
      var source = rowFor(row.dataset.conditionField);
      var shown = !(source && source.hidden) && holds(row);
      row.hidden = !shown;
      Array.prototype.forEach.call(row.querySelectorAll("input, select, textarea"), function (el) {
        el.disabled = !shown;
      });
    });
  }

  rows.forEach(function (row) {
    if (row.dataset.conditionField) {
      var note = row.querySelector(".condition-note");
      if (note) { note.hidden = true; }
      row.setAttribute("aria-live", "polite");
    }
  });
  form.addEventListener("change", update);
  form.addEventListener("input", update);
  update();
})();
