// While portfolio exports are being prepared, asks for their progress every two seconds, updates the progress bars
// and their text (the status region announces it politely), and reloads the page when none is running any more, so
// the download links appear. Without script the page says to reload it.
(function () {
  var status = document.getElementById('portfolio-status');
  if (!status || status.getAttribute('data-running') !== 'true') { return; }
  var url = status.getAttribute('data-status-url');
  function poll() {
    fetch(url, { headers: { 'Accept': 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (exports) {
        if (!exports) { setTimeout(poll, 5000); return; }
        var running = false, done = 0, total = 0;
        exports.forEach(function (e) {
          if (e.status !== 'Queued' && e.status !== 'Running') { return; }
          running = true; done += e.done; total += e.total;
          var bar = document.querySelector('progress[data-export="' + e.id + '"]');
          if (bar) { bar.max = Math.max(e.total, 1); bar.value = e.done; bar.textContent = e.done + ' of ' + e.total; }
          var text = document.querySelector('[data-progress-text="' + e.id + '"]');
          if (text) { text.textContent = e.done + ' of ' + e.total; }
        });
        if (running) {
          status.textContent = 'Preparing: ' + done + ' of ' + total + ' items done.';
          setTimeout(poll, 2000);
        } else {
          status.textContent = 'Your export is ready.';
          window.location.reload();
        }
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 2000);
})();
