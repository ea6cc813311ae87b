// Autosaves a review draft a moment after each edit, with the form's own fields and tokens. If a save fails (the
// launch expired, the network dropped) the draft is kept in this browser's localStorage, keyed by the review, and
// put back when the page is opened again, so no work is lost.
(function () {
  var form = document.getElementById('review-form');
  if (!form) { return; }
  var url = form.getAttribute('data-autosave-url');
  var key = 'ltimc-review-draft-' + form.getAttribute('data-review-id');
  var status = document.getElementById('autosave-status');
  var timer = null;

  function fields() {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === 'lt' || el.name === '__csrf') { return; }
      if (el.type === 'radio') { if (el.checked) { data[el.name] = el.value; } }
      else if (el.tagName === 'TEXTAREA' || el.type === 'text') { data[el.name] = el.value; }
    });
    return data;
  }

  function restore() {
    var kept = null;
    try { kept = JSON.parse(window.localStorage.getItem(key) || 'null'); } catch (e) { kept = null; }
    if (!kept) { return; }
    Object.keys(kept).forEach(function (name) {
      Array.prototype.forEach.call(form.elements, function (el) {
        if (el.name !== name) { return; }
        if (el.type === 'radio') { el.checked = el.value === kept[name]; } else { el.value = kept[name]; }
      });
    });
    status.textContent = 'Your unsaved draft from this browser is back. It will be saved when you next edit, or with "Save draft".';
  }

  function save() {
    timer = null;
    fetch(url, { method: 'POST', body: new FormData(form), headers: { 'Accept': 'application/json' }, credentials: 'same-origin' })
      .then(function (r) { if (!r.ok) { throw new Error('not saved'); } return r.json(); })
      .then(function (result) {
        window.localStorage.removeItem(key);
        status.textContent = 'Saved at ' + result.savedAt + ' UTC';
      })
      .catch(function () {
        try { window.localStorage.setItem(key, JSON.stringify(fields())); } catch (e) { /* storage full or off */ }
        status.textContent = 'Not saved to the server (your session may have ended). Your draft is kept in this browser and comes back when you open this review again.';
      });
  }

  function edited() {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(save, 1500);
  }

  form.addEventListener('input', edited);
  form.addEventListener('change', edited);
  form.addEventListener('submit', function () { window.localStorage.removeItem(key); });
  restore();
})();
