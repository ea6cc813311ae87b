// Shows only the fields that apply to the kind of evidence chosen. Without script every field shows, labelled.
document.querySelectorAll('form.evidence-form').forEach(function (form) {
  var kind = form.querySelector('[data-evidence-kind]');
  function update() {
    form.querySelectorAll('[data-for]').forEach(function (field) {
      field.hidden = field.getAttribute('data-for').split(' ').indexOf(kind.value) < 0;
    });
  }
  kind.addEventListener('change', update);
  update();
});
