/* The video editor: an upload progress bar, and the processing state kept up to date.
 *
 * A form with a video file input ([data-video-upload]) is sent with XMLHttpRequest, so the
 * browser reports how much of the file has gone; the answer then replaces the page as a
 * normal submission would (the editor with its errors, or the page it redirects to). A
 * file over the size limit ([data-max-size]) is refused before anything is sent.
 */
(() => {
  'use strict';

  const formatSize = (bytes) => {
    const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
    let size = bytes;
    let unit = 0;
    while (size >= 1024 && unit < units.length - 1) {
      size /= 1024;
      unit += 1;
    }
    return unit === 0 ? `${size} bytes` : `${size.toFixed(1)} ${units[unit]}`;
  };

  const message = (input, text) => {
    let note = input.parentElement.querySelector('[data-video-upload-note]');
    if (!note) {
      note = document.createElement('p');
      note.setAttribute('data-video-upload-note', '');
      note.setAttribute('role', 'status');
      note.className = 'help';
      input.insertAdjacentElement('afterend', note);
    }
    note.textContent = text;
    return note;
  };

  const showResponse = (xhr) => {
    const sentTo = new URL(xhr.responseURL || window.location.href, window.location.href);
    const here = new URL(window.location.href);
    if (sentTo.pathname !== here.pathname) {
      // Saved: Django redirected to the listing or the editor.
      window.location.assign(sentTo.href);
      return;
    }
    document.open();
    document.write(xhr.responseText);
    document.close();
  };

  const sendWithProgress = (form, input, submitter) => {
    const file = input.files[0];
    const data = new FormData(form);
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    const bar = document.createElement('progress');
    bar.max = 100;
    bar.value = 0;
    bar.className = 'w-block w-w-full';
    bar.setAttribute('aria-label', 'Upload progress');
    input.insertAdjacentElement('afterend', bar);
    const note = message(input, `Uploading ${file.name}…`);
    const xhr = new XMLHttpRequest();
    xhr.open(form.method || 'POST', form.action || window.location.href);
    xhr.upload.addEventListener('progress', (event) => {
      if (!event.lengthComputable) return;
      const percent = Math.floor((event.loaded / event.total) * 100);
      bar.value = percent;
      note.textContent = `Uploading: ${percent} % (${formatSize(event.loaded)} of ${formatSize(event.total)})`;
    });
    xhr.upload.addEventListener('load', () => {
      bar.value = 100;
      note.textContent = 'Uploaded. Checking the video…';
    });
    xhr.addEventListener('load', () => showResponse(xhr));
    xhr.addEventListener('error', () => {
      bar.remove();
      note.textContent = 'The upload was interrupted. Check the connection and save again.';
    });
    xhr.send(data);
  };

  document.addEventListener('submit', (event) => {
    const form = event.target;
    const input = form.querySelector('input[type="file"][data-video-upload]');
    if (!input || !input.files || !input.files.length) return;
    const maxSize = Number(input.dataset.maxSize || 0);
    const file = input.files[0];
    event.preventDefault();
    if (maxSize && file.size > maxSize) {
      message(input, `This file is ${formatSize(file.size)}: videos of up to ${formatSize(maxSize)} can be uploaded.`);
      return;
    }
    sendWithProgress(form, input, event.submitter);
  });

  const follow = (panel) => {
    const label = panel.querySelector('[data-video-status-label]');
    const bar = panel.querySelector('[data-video-progress]');
    const note = panel.querySelector('[data-video-status-note]');
    const poll = () => {
      fetch(panel.dataset.videoStatusUrl, { credentials: 'same-origin' })
        .then((response) => (response.ok ? response.json() : null))
        .then((state) => {
          if (!state) return;
          label.textContent = state.label;
          if (bar) bar.value = state.progress;
          if (state.status === 'queued' || state.status === 'processing') {
            window.setTimeout(poll, 3000);
          } else {
            if (bar) bar.hidden = true;
            if (note) note.hidden = false;
          }
        })
        .catch(() => window.setTimeout(poll, 10000));
    };
    window.setTimeout(poll, 3000);
  };

  const start = () => {
    document
      .querySelectorAll('[data-video-status-url][data-video-status="queued"], [data-video-status-url][data-video-status="processing"]')
      .forEach(follow);
  };
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
