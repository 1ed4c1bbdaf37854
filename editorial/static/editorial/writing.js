/* The article's writing screen in the admin: word count and reading time under the
   body, autosave of the content fields (on the server, and in this browser for
   when the connection is lost), the offer to restore a draft, and the live
   preview beside the form. Loaded as a file: the admin's policy allows no inline
   script. Its data and messages come from the page (#writing-screen-config). */
'use strict';

(function () {
  const AUTOSAVE_DELAY = 5000; // after the last keystroke
  const AUTOSAVE_MAX_WAIT = 30000; // while typing without a pause
  const LOCAL_DELAY = 800;
  const WIDTHS = {desktop: 1280, phone: 390};

  function format(message, values) {
    return message.replace(/%\((\w+)\)s/g, function (_match, name) {
      return values[name] === undefined ? '' : String(values[name]);
    });
  }

  function clock(date) {
    const lang = document.documentElement.lang || undefined;
    return date.toLocaleTimeString(lang, {hour: '2-digit', minute: '2-digit'});
  }

  function init() {
    const configElement = document.getElementById('writing-screen-config');
    const form = document.getElementById('article_form');
    if (!configElement || !form) {
      return;
    }
    const config = JSON.parse(configElement.textContent);
    const messages = config.messages;
    const statusLine = document.getElementById('writing-autosave-status');
    const notice = document.getElementById('writing-notice');
    const previewButton = document.getElementById('writing-preview-button');
    const bodyField = form.elements.body;
    const basedOn = config.based_on ? Date.parse(config.based_on) : 0;
    const hasErrors = document.querySelector('.errornote') !== null;
    let editor = null;
    let lastSent = null;
    let timer = null;
    let localTimer = null;
    let firstUnsent = 0;
    let submitting = false;
    let sending = false;

    // Reading the form ------------------------------------------------------------

    function bodyHtml() {
      if (editor) {
        return editor.getContent();
      }
      return bodyField ? bodyField.value : '';
    }

    function bodyText() {
      if (editor) {
        return editor.getContent({format: 'text'});
      }
      const html = bodyField ? bodyField.value : '';
      return new DOMParser().parseFromString(html, 'text/html').body.textContent || '';
    }

    function content() {
      const data = {};
      config.fields.forEach(function (name) {
        if (name === 'body') {
          data.body = bodyHtml();
        } else if (form.elements[name]) {
          data[name] = form.elements[name].value;
        }
      });
      return data;
    }

    function sameContent(a, b) {
      return config.fields.every(function (name) {
        return (a[name] || '') === (b[name] || '');
      });
    }

    function fill(data) {
      config.fields.forEach(function (name) {
        if (data[name] === undefined) {
          return;
        }
        if (name === 'body') {
          if (editor) {
            editor.setContent(data.body);
          } else if (bodyField) {
            bodyField.value = data.body;
          }
        } else if (form.elements[name]) {
          form.elements[name].value = data[name];
        }
      });
      changed();
    }

    // Word count and reading time ------------------------------------------------

    const stats = document.createElement('p');
    stats.className = 'writing-stats';
    stats.id = 'writing-stats';
    const bodyRow = form.querySelector('.form-row.field-body');
    if (bodyRow) {
      bodyRow.appendChild(stats);
    }

    function countWords() {
      const words = bodyText().trim().split(/\s+/).filter(Boolean).length;
      const minutes = Math.max(1, Math.ceil(words / config.words_per_minute));
      const french = (document.documentElement.lang || '').indexOf('fr') === 0;
      const plural = french ? words > 1 : words !== 1;
      const count = words.toLocaleString(document.documentElement.lang || undefined);
      const wordsText = format(messages.words[plural ? 1 : 0], {count: count});
      stats.textContent = words ? wordsText + ' · ' + format(messages.minutes, {count: minutes}) : wordsText;
    }

    // The copy kept in this browser -----------------------------------------------

    function readLocal() {
      try {
        return JSON.parse(window.localStorage.getItem(config.storage_key) || 'null');
      } catch (error) {
        return null;
      }
    }

    function writeLocal(record) {
      try {
        if (record === null) {
          window.localStorage.removeItem(config.storage_key);
        } else {
          window.localStorage.setItem(config.storage_key, JSON.stringify(record));
        }
      } catch (error) {
        // Storage full or refused: the server's copy remains.
      }
    }

    function keepLocal() {
      writeLocal({data: content(), savedAt: Date.now(), basedOn: config.based_on});
    }

    // Autosave --------------------------------------------------------------------

    function setStatus(text, state) {
      statusLine.textContent = text;
      statusLine.dataset.state = state || '';
    }

    function showConflict(message) {
      notice.replaceChildren();
      notice.className = 'writing-notice writing-notice--conflict';
      notice.setAttribute('role', 'alert');
      const text = document.createElement('p');
      text.textContent = message;
      notice.appendChild(text);
      notice.hidden = false;
    }

    function payload(data) {
      const body = new FormData();
      Object.keys(data).forEach(function (name) {
        body.append(name, data[name]);
      });
      body.append('based_on', config.based_on);
      body.append('csrfmiddlewaretoken', form.elements.csrfmiddlewaretoken.value);
      return body;
    }

    function save() {
      window.clearTimeout(timer);
      timer = null;
      const data = content();
      if (lastSent && sameContent(data, lastSent)) {
        firstUnsent = 0;
        return;
      }
      if (sending) {
        schedule();
        return;
      }
      sending = true;
      setStatus(messages.saving, 'saving');
      fetch(config.urls.autosave, {
        method: 'POST',
        body: payload(data),
        credentials: 'same-origin',
        headers: {'X-CSRFToken': form.elements.csrfmiddlewaretoken.value, 'Accept': 'application/json'},
      }).then(function (response) {
        return response.json().catch(function () {
          return {};
        }).then(function (answer) {
          if (response.ok || response.status === 409) {
            lastSent = data;
            firstUnsent = 0;
          }
          if (response.ok) {
            setStatus(answer.message || format(messages.saved, {time: clock(new Date())}), 'saved');
            refreshPreview();
          } else if (response.status === 409) {
            setStatus(answer.message, 'conflict');
            showConflict(answer.message);
          } else {
            setStatus(answer.message || messages.failed, 'failed');
          }
        });
      }).catch(function () {
        setStatus(messages.offline, 'failed');
      }).finally(function () {
        sending = false;
      });
    }

    function schedule() {
      const now = Date.now();
      if (!firstUnsent) {
        firstUnsent = now;
      }
      window.clearTimeout(timer);
      const wait = Math.max(0, Math.min(AUTOSAVE_DELAY, firstUnsent + AUTOSAVE_MAX_WAIT - now));
      timer = window.setTimeout(save, wait);
    }

    function changed() {
      if (submitting) {
        return;
      }
      countWords();
      window.clearTimeout(localTimer);
      localTimer = window.setTimeout(keepLocal, LOCAL_DELAY);
      schedule();
    }

    // Leaving the page: what was not sent yet stays in this browser, offered back
    // next time (a request sent while the page closes could be cut off half-way).
    function flush() {
      if (submitting || !timer) {
        return;
      }
      window.clearTimeout(localTimer);
      keepLocal();
    }

    // Restoring a draft -------------------------------------------------------------

    function offerDraft() {
      const local = readLocal();
      if (local && local.submitted) {
        // The form was sent with this text: saved, or shown again with its errors.
        writeLocal(null);
      }
      if (hasErrors) {
        return;
      }
      let offer = null;
      const server = config.autosave;
      if (server) {
        offer = {data: server.data, savedAt: Date.parse(server.saved_at), label: server.label, stale: server.stale};
      }
      const usable = local && !local.submitted && local.data && local.savedAt > basedOn;
      if (usable && (!offer || local.savedAt > offer.savedAt + 1000)) {
        offer = {
          data: local.data,
          savedAt: local.savedAt,
          label: format(messages.restore_local, {time: clock(new Date(local.savedAt))}),
          stale: Boolean(local.basedOn && config.based_on && local.basedOn !== config.based_on),
        };
      }
      if (!offer || sameContent(offer.data, content())) {
        return;
      }
      notice.replaceChildren();
      notice.className = 'writing-notice writing-notice--recovery';
      const text = document.createElement('p');
      text.textContent = offer.stale ? messages.found_stale : messages.found;
      const restore = document.createElement('button');
      restore.type = 'button';
      restore.className = 'button default';
      restore.id = 'writing-restore';
      restore.textContent = offer.label;
      const discard = document.createElement('button');
      discard.type = 'button';
      discard.className = 'button';
      discard.id = 'writing-discard';
      discard.textContent = messages.discard;
      const actions = document.createElement('p');
      actions.className = 'writing-notice__actions';
      actions.append(restore, ' ', discard);
      notice.append(text, actions);
      notice.hidden = false;

      restore.addEventListener('click', function () {
        whenEditorReady(function () {
          fill(offer.data);
          notice.hidden = true;
          setStatus(messages.restored, 'restored');
        });
      });
      discard.addEventListener('click', function () {
        writeLocal(null);
        notice.hidden = true;
        fetch(config.urls.discard, {
          method: 'POST',
          body: payload({}),
          credentials: 'same-origin',
          headers: {'X-CSRFToken': form.elements.csrfmiddlewaretoken.value},
        }).then(function () {
          setStatus(messages.discarded, 'discarded');
        }).catch(function () {
          setStatus(messages.failed, 'failed');
        });
      });
    }

    // Live preview --------------------------------------------------------------------

    let panel = null;
    let frame = null;
    let width = WIDTHS.desktop;

    function buildPanel() {
      panel = document.createElement('aside');
      panel.id = 'writing-preview';
      panel.className = 'writing-preview';
      panel.hidden = true;
      panel.setAttribute('aria-label', messages.preview);
      const bar = document.createElement('div');
      bar.className = 'writing-preview__bar';
      const heading = document.createElement('h2');
      heading.textContent = messages.preview;
      bar.appendChild(heading);
      const sizes = document.createElement('div');
      sizes.className = 'writing-preview__sizes';
      sizes.setAttribute('role', 'group');
      [['desktop', messages.desktop], ['phone', messages.phone]].forEach(function (pair) {
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'button';
        button.dataset.width = pair[0];
        button.textContent = pair[1];
        button.setAttribute('aria-pressed', pair[0] === 'desktop' ? 'true' : 'false');
        button.addEventListener('click', function () {
          width = WIDTHS[pair[0]];
          sizes.querySelectorAll('button').forEach(function (other) {
            other.setAttribute('aria-pressed', other === button ? 'true' : 'false');
          });
          fit();
        });
        sizes.appendChild(button);
      });
      bar.appendChild(sizes);
      const close = document.createElement('button');
      close.type = 'button';
      close.className = 'button writing-preview__close';
      close.textContent = messages.close;
      close.addEventListener('click', function () {
        panel.hidden = true;
        document.body.classList.remove('writing-preview-open');
        previewButton.setAttribute('aria-expanded', 'false');
        previewButton.focus();
      });
      bar.appendChild(close);
      const viewport = document.createElement('div');
      viewport.className = 'writing-preview__viewport';
      frame = document.createElement('iframe');
      frame.name = 'article-live-preview';
      frame.id = 'writing-preview-frame';
      frame.title = messages.preview_title;
      viewport.appendChild(frame);
      panel.append(bar, viewport);
      document.body.appendChild(panel);
      window.addEventListener('resize', fit);
    }

    function fit() {
      if (!panel || panel.hidden) {
        return;
      }
      const viewport = frame.parentElement;
      const scale = Math.min(1, viewport.clientWidth / width);
      frame.style.width = width + 'px';
      frame.style.height = Math.floor(viewport.clientHeight / scale) + 'px';
      frame.style.transform = 'scale(' + scale + ')';
      frame.style.left = Math.max(0, Math.floor((viewport.clientWidth - width * scale) / 2)) + 'px';
      frame.dataset.width = String(width);
      frame.dataset.scale = scale.toFixed(3);
    }

    function openPreview() {
      panel.hidden = false;
      document.body.classList.add('writing-preview-open');
      previewButton.setAttribute('aria-expanded', 'true');
      fit();
    }

    function refreshPreview() {
      if (panel && !panel.hidden && form.requestSubmit) {
        form.requestSubmit(previewButton);
      }
    }

    // Publish now or schedule (editors only: authors have neither the state nor the date) -----

    function publicationShortcuts() {
      const status = form.elements.status;
      const date = form.elements.published_at_0;
      const time = form.elements.published_at_1;
      const published = status && Array.prototype.some.call(status.options, function (option) {
        return option.value === 'published';
      });
      if (!published || !date || !time || status.value === 'published') {
        return;
      }
      const row = form.querySelector('.form-row.field-status');
      const group = document.createElement('div');
      group.className = 'writing-publication';
      const hint = document.createElement('p');
      hint.className = 'help writing-publication__hint';
      hint.id = 'writing-publication-hint';
      hint.setAttribute('aria-live', 'polite');
      const now = document.createElement('button');
      now.type = 'button';
      now.className = 'button';
      now.id = 'writing-publish-now';
      now.textContent = messages.publish_now;
      const later = document.createElement('button');
      later.type = 'button';
      later.className = 'button';
      later.id = 'writing-schedule';
      later.textContent = messages.schedule;
      group.append(now, ' ', later, hint);
      row.appendChild(group);
      now.addEventListener('click', function () {
        // Published with no date means "now" (the form sets it when saved).
        status.value = 'published';
        date.value = '';
        time.value = '';
        hint.textContent = messages.publish_now_hint;
      });
      later.addEventListener('click', function () {
        status.value = 'published';
        hint.textContent = messages.schedule_hint;
        date.focus();
      });
    }

    // Wiring ------------------------------------------------------------------------------

    function whenEditorReady(callback) {
      if (editor || !bodyField || !window.tinymce) {
        callback();
        return;
      }
      const found = window.tinymce.get(bodyField.id);
      if (found && found.initialized) {
        attachEditor(found);
        callback();
        return;
      }
      window.setTimeout(function () {
        whenEditorReady(callback);
      }, 100);
    }

    function attachEditor(found) {
      if (editor === found) {
        return;
      }
      editor = found;
      editor.on('input change undo redo keyup paste', changed);
      if (!firstUnsent) {
        lastSent = content();
      }
      countWords();
    }

    function watchEditor() {
      if (!window.tinymce || !bodyField) {
        return;
      }
      const found = window.tinymce.get(bodyField.id);
      if (found) {
        if (found.initialized) {
          attachEditor(found);
        } else {
          found.on('init', function () {
            attachEditor(found);
          });
        }
        return;
      }
      window.tinymce.on('AddEditor', function (event) {
        if (event.editor.id === bodyField.id) {
          event.editor.on('init', function () {
            attachEditor(event.editor);
          });
        }
      });
    }

    config.fields.forEach(function (name) {
      const field = form.elements[name];
      if (field) {
        field.addEventListener('input', changed);
      }
    });
    form.addEventListener('submit', function (event) {
      if (event.submitter === previewButton) {
        if (!panel) {
          buildPanel();
        }
        openPreview();
        return;
      }
      submitting = true;
      window.clearTimeout(timer);
      window.clearTimeout(localTimer);
      const local = readLocal() || {};
      local.submitted = true;
      writeLocal(local);
    });
    if (previewButton) {
      buildPanel();
      previewButton.setAttribute('aria-controls', panel.id);
      previewButton.setAttribute('aria-expanded', 'false');
    }
    window.addEventListener('pagehide', flush);
    document.addEventListener('visibilitychange', function () {
      if (document.visibilityState === 'hidden') {
        flush();
      }
    });
    window.addEventListener('online', function () {
      if (firstUnsent) {
        save();
      }
    });

    lastSent = content();
    countWords();
    publicationShortcuts();
    watchEditor();
    offerDraft();
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
