/* The comment moderation queue (admin): row buttons that act without a page reload,
   and keyboard shortcuts (j/k to move, a/s/r to approve, mark as spam or remove,
   e to reply, ? for the list). Without this script the buttons post their form. */
(function () {
  "use strict";

  const TYPING = [
    "textarea",
    "select",
    "[contenteditable]",
    "input:not([type=checkbox]):not([type=radio]):not([type=button]):not([type=submit]):not([type=reset])",
  ].join(",");

  function ready(callback) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", callback);
    } else {
      callback();
    }
  }

  ready(function () {
    const table = document.getElementById("result_list");
    const live = document.getElementById("moderation-live");
    if (!table || !live || !table.tBodies.length) {
      return;
    }
    const help = document.getElementById("moderation-shortcuts");
    let current = null;

    function rows() {
      return Array.from(table.tBodies[0].rows);
    }

    function rowOf(element) {
      const row = element.closest("tr");
      return row && row.parentElement === table.tBodies[0] ? row : null;
    }

    function say(text, level) {
      const list = document.createElement("ul");
      list.className = "messagelist";
      const item = document.createElement("li");
      item.className = level || "info";
      item.textContent = text;
      list.append(item);
      live.replaceChildren(list);
    }

    function mark(row) {
      if (current && current !== row) {
        current.classList.remove("moderation-current");
      }
      current = row;
      row.classList.add("moderation-current");
    }

    function focusRow(row) {
      if (!row) {
        return;
      }
      mark(row);
      row.focus();
      row.scrollIntoView({ block: "nearest" });
    }

    rows().forEach(function (row) {
      row.tabIndex = -1;
    });
    table.addEventListener("focusin", function (event) {
      const row = rowOf(event.target);
      if (row) {
        mark(row);
      }
    });

    async function moderate(button) {
      const row = rowOf(button);
      const form = button.form;
      const data = new FormData();
      data.append("csrfmiddlewaretoken", form.querySelector("input[name=csrfmiddlewaretoken]").value);
      data.append("next", button.value);
      button.disabled = true;
      let result = null;
      try {
        const response = await fetch(button.formAction, {
          method: "POST",
          body: data,
          credentials: "same-origin",
          headers: { Accept: "application/json" },
        });
        const type = response.headers.get("Content-Type") || "";
        if (response.ok && type.includes("application/json")) {
          result = await response.json();
        }
      } catch (error) {
        result = null;
      }
      if (!result) {
        // Signed out, refused or offline: the plain form post shows why.
        say(live.dataset.failed, "error");
        button.disabled = false;
        button.dataset.plain = "true";
        form.requestSubmit(button);
        return;
      }
      const hadFocus = row.contains(document.activeElement) || row === document.activeElement;
      row.querySelector("td.field-state_column").innerHTML = result.state_html;
      row.querySelector("td.field-moderation").innerHTML = result.controls_html;
      row.dataset.state = result.state;
      say(result.message, result.level);
      if (hadFocus || row === current) {
        focusRow(row);
      }
    }

    table.addEventListener("click", function (event) {
      const button = event.target.closest("button[data-moderation]");
      if (!button || button.dataset.plain) {
        return;
      }
      event.preventDefault();
      moderate(button);
    });

    function move(step) {
      const all = rows();
      if (!all.length) {
        return;
      }
      const index = current ? all.indexOf(current) : -1;
      const next = index < 0 ? (step > 0 ? 0 : all.length - 1) : index + step;
      focusRow(all[Math.max(0, Math.min(all.length - 1, next))]);
    }

    function act(name) {
      if (!current) {
        say(live.dataset.noRow, "warning");
        return;
      }
      const button = current.querySelector('button[data-moderation="' + name + '"]');
      if (!button) {
        say(live.dataset.notApplicable, "warning");
        return;
      }
      moderate(button);
    }

    function reply() {
      if (!current) {
        say(live.dataset.noRow, "warning");
        return;
      }
      const details = current.querySelector("details.moderation-reply");
      if (!details) {
        say(live.dataset.noReply, "warning");
        return;
      }
      details.open = true;
      details.querySelector("textarea").focus();
    }

    function toggleHelp() {
      if (!help) {
        return;
      }
      help.open = !help.open;
      if (help.open) {
        help.querySelector("summary").focus();
      }
    }

    const KEYS = {
      j: function () { move(1); },
      k: function () { move(-1); },
      a: function () { act("approve"); },
      s: function () { act("spam"); },
      r: function () { act("remove"); },
      e: reply,
      "?": toggleHelp,
    };

    document.addEventListener("keydown", function (event) {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) {
        return;
      }
      if (event.target instanceof Element && event.target.closest(TYPING)) {
        return;
      }
      const handler = KEYS[event.key];
      if (!handler) {
        return;
      }
      event.preventDefault();
      handler();
    });
  });
})();
