// While the LMS submissions are being brought in, asks for progress every two seconds and reloads the page when done.
(function () {
  var status = document.getElementById('pull-status');
  if (!status || status.getAttribute('data-running') !== 'true') { return; }
  var url = status.getAttribute('data-status-url');
  function poll() {
    fetch(url, { headers: { 'Accept': 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) {
        if (s && (s.state === 'Queued' || s.state === 'Running')) { setTimeout(poll, 2000); }
        else { window.location.reload(); }
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 2000);
})();
