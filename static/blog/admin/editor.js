/* Sends images dropped, pasted or chosen in the rich text editor to the media
   library. Loaded as a file (no inline script) before django-tinymce's init,
   which looks this function up by name on window. */
'use strict';

window.blogEditorUploadImage = function (blobInfo, progress) {
  const editor = window.tinymce.activeEditor;
  const url = editor.options.get('images_upload_url');
  const tokenField = document.querySelector('input[name="csrfmiddlewaretoken"]');
  const body = new FormData();
  body.append('file', blobInfo.blob(), blobInfo.filename());
  return fetch(url, {
    method: 'POST',
    body: body,
    credentials: 'same-origin',
    headers: {'X-CSRFToken': tokenField ? tokenField.value : ''},
  }).then(function (response) {
    return response.json().catch(function () {
      return {error: {message: response.statusText || String(response.status)}};
    });
  }).then(function (data) {
    if (data.error) {
      return Promise.reject({message: data.error.message, remove: true});
    }
    progress(100);
    return data.location;
  });
};
