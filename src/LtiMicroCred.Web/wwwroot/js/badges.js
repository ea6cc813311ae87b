// "Copy link" buttons: shown only when the clipboard can be used; the link stays selectable in its field otherwise.
(function () {
  if (!navigator.clipboard) { return; }
  document.querySelectorAll('button.copy-link').forEach(function (button) {
    var field = document.getElementById(button.getAttribute('data-copy-target'));
    var status = button.parentNode.querySelector('.copy-status');
    button.hidden = false;
    button.addEventListener('click', function () {
      navigator.clipboard.writeText(field.value).then(function () {
        status.textContent = 'Link copied.';
      }, function () {
        field.select();
        status.textContent = 'Copy the selected link with Ctrl+C.';
      });
    });
  });
})();
