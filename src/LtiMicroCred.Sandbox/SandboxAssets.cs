namespace LtiMicroCred.Sandbox;

/// <summary>
/// The sandbox's script and style files. They are served as files, never inlined, so the pages work under a
/// Content-Security-Policy that forbids inline script and style.
/// </summary>
internal static class SandboxAssets
{
    public const string AutoSubmitScriptPath = "/auto-submit.js";
    public const string PlatformStorageScriptPath = "/platform-storage.js";
    public const string StyleSheetPath = "/sandbox.css";
    public const string AvatarPath = "/avatar-50.svg";

    /// <summary>The one picture every sandbox person has, so NRPS and REST answers carry a picture URL that works.</summary>
    public const string Avatar =
        """
        <svg xmlns="http://www.w3.org/2000/svg" width="50" height="50" viewBox="0 0 50 50"><rect width="50" height="50" fill="#d9e2ec"/><circle cx="25" cy="19" r="9" fill="#52606d"/><path d="M8 46c2-10 9-15 17-15s15 5 17 15z" fill="#52606d"/></svg>

        """;

    // An LMS moves the browser on without a click; the page's noscript button covers browsers without scripts.
    public const string AutoSubmitScript =
        """
        (function () {
          'use strict';
          var form = document.getElementById('auto-submit');
          // Called through the prototype so a field named "submit" could never shadow the method.
          if (form) { HTMLFormElement.prototype.submit.call(form); }
        })();

        """;

    // The platform side of the 1EdTech "LTI Client Side postMessages" storage, for tools that cannot rely on
    // cookies inside the course iframe. Values live only as long as the course page.
    public const string PlatformStorageScript =
        """
        (function () {
          'use strict';
          var store = new Map();
          var supported = [{ subject: 'lti.capabilities' }, { subject: 'lti.put_data' }, { subject: 'lti.get_data' }];

          function toolFrame() {
            var frame = document.getElementsByName('tool-frame')[0];
            return frame ? frame.contentWindow : null;
          }

          function badRequest(subject, data, message) {
            return { subject: subject, message_id: data.message_id, key: data.key, error: { code: 'bad_request', message: message } };
          }

          window.addEventListener('message', function (event) {
            var data = event.data;
            // Only the tool frame may use this storage; "null" origins cannot be answered by postMessage.
            if (!event.source || event.source !== toolFrame() || event.origin === 'null') { return; }
            if (!data || typeof data !== 'object' || typeof data.subject !== 'string') { return; }

            var reply;
            var slot = event.origin + '|' + data.key;
            switch (data.subject) {
              case 'lti.capabilities':
                reply = { subject: 'lti.capabilities.response', message_id: data.message_id, supported_messages: supported };
                break;
              case 'lti.put_data':
                if (typeof data.key !== 'string' || data.key === '') {
                  reply = badRequest('lti.put_data.response', data, 'A key is required.');
                  break;
                }
                store.set(slot, data.value);
                reply = { subject: 'lti.put_data.response', message_id: data.message_id, key: data.key, value: data.value };
                break;
              case 'lti.get_data':
                if (typeof data.key !== 'string' || !store.has(slot)) {
                  reply = badRequest('lti.get_data.response', data, 'Nothing is stored under this key for your origin.');
                  break;
                }
                reply = { subject: 'lti.get_data.response', message_id: data.message_id, key: data.key, value: store.get(slot) };
                break;
              default:
                return;
            }
            event.source.postMessage(reply, event.origin);
          });
        })();

        """;

    public const string StyleSheet =
        """
        :root { color-scheme: light; }
        * { box-sizing: border-box; }
        body { margin: 0; font-family: system-ui, sans-serif; line-height: 1.5; color: #1b1b1b; background: #ffffff; }
        main { padding: 1rem 2rem 2rem; }
        main.narrow { max-width: 60rem; }
        h1 { font-size: 1.6rem; margin: 0.5rem 0 1rem; }
        h2 { font-size: 1.25rem; margin: 1.5rem 0 0.5rem; }
        a { color: #0b4f8a; }
        a:focus-visible, button:focus-visible, iframe:focus-visible { outline: 3px solid #c25e00; outline-offset: 2px; }
        table { border-collapse: collapse; width: 100%; }
        th, td { text-align: left; vertical-align: top; padding: 0.5rem; border-bottom: 1px solid #8a8a8a; }
        th small { font-weight: normal; }
        form.inline { display: inline; margin: 0; }
        button { font: inherit; padding: 0.4rem 0.9rem; color: #ffffff; background: #0b4f8a; border: 1px solid #063459; border-radius: 4px; cursor: pointer; }
        button:hover { background: #063459; }
        code { background: #f0f0f0; padding: 0 0.25rem; overflow-wrap: anywhere; }
        dl.registration { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; }
        dl.registration dt { font-weight: 600; }
        dl.registration dd { margin: 0; }
        .notice { border-left: 4px solid #c25e00; background: #fff4e5; padding: 0.5rem 1rem; }
        .visually-hidden { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
        .lms-bar { display: flex; flex-wrap: wrap; gap: 0.5rem 1.5rem; align-items: baseline; padding: 0.75rem 2rem; color: #ffffff; background: #1f2d3d; }
        .lms-bar a { color: #ffffff; }
        .lms-bar .district { font-weight: 600; }
        iframe.tool { display: block; width: 100%; height: 80vh; border: 1px solid #5c5c5c; }
        a.button { display: inline-block; padding: 0.4rem 0.9rem; color: #ffffff; background: #0b4f8a; border: 1px solid #063459; border-radius: 4px; text-decoration: none; }
        a.button:hover { background: #063459; }
        a.button:focus-visible { outline: 3px solid #c25e00; outline-offset: 2px; }
        button.secondary { color: #0b4f8a; background: #ffffff; }
        button.secondary:hover { background: #e8f0f8; }
        ul.links { padding-left: 1.25rem; }
        ul.links li { margin: 0.35rem 0; }
        .muted { color: #4a4a4a; }
        .actions { display: flex; gap: 0.75rem; margin-top: 1rem; }
        td.score small { display: block; color: #4a4a4a; }
        blockquote { margin: 0.25rem 0; padding-left: 0.75rem; border-left: 3px solid #8a8a8a; }

        """;
}
