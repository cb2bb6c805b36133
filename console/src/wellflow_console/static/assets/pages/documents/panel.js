// A thing's documents (a lease's file, a well's, an AFE's): the list linked to it, each downloadable, and an
// upload form for members who may write documents. Used on the lease, well and AFE pages.

import { api, get, download as fetchFile } from "../../lib/api.js";
import { paths } from "../../lib/paths.js";
import { h, mount, field, table, failure, busy, showErrors, clearErrors, flash, words } from "../../lib/ui.js";
import { day } from "../../lib/format.js";

export const DOCUMENT_TYPES = ["lease", "title_opinion", "division_order", "permit", "afe", "joa", "invoice", "run_ticket", "photo", "report", "other"];

function size(bytes) {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

/** Download with the member's token (a plain link would carry none), saved under the document's own name. */
const download = (item) => fetchFile(paths.documents.content(item.id), item.version?.file_name || "document");

/** The section listing the documents linked to ``kind``/``id``, with an upload form for writers. */
export function documentsPanel(kind, id, ctx, { defaultType = "other" } = {}) {
  const box = h("section.documents", { "aria-busy": "true" }, h("h2", "Documents"), h("p.loading", "Loading documents…"));
  if (!ctx.can("documents", "read")) return null;
  const load = async () => {
    try {
      const page = await get(paths.documents.list, { link_kind: kind, link_id: id, limit: 100 });
      const rows = table(
        [
          { label: "Title", value: (d) => d.title },
          { label: "Type", value: (d) => words(d.document_type) },
          { label: "Version", value: (d) => String(d.current_version) },
          { label: "File", value: (d) => (d.version ? `${d.version.file_name} · ${size(d.version.size_bytes)}` : "") },
          { label: "Expires", value: (d) => day(d.expires_on) },
          { label: "Added", value: (d) => day((d.version?.created_at || d.created_at).slice(0, 10)) },
          {
            label: "",
            value: (d) => {
              const button = h("button", { type: "button" }, "Download");
              button.addEventListener("click", () => busy(button, () => download(d).catch((e) => flash(e.message, "error"))));
              return button;
            },
          },
        ],
        page.items,
        { empty: "No documents yet.", caption: `Documents (${page.total})` },
      );
      mount(box, h("h2", "Documents"), rows, ctx.can("documents", "write") ? uploadForm(kind, id, defaultType, load) : null);
    } catch (error) {
      mount(box, h("h2", "Documents"), failure(error));
    }
    box.removeAttribute("aria-busy");
  };
  load();
  return box;
}

function uploadForm(kind, id, defaultType, reload) {
  const send = h("button.primary", { type: "submit" }, "Upload");
  const form = h(
    "form.upload-document",
    h("h3", "Add a document"),
    field("file", "File", { kind: "file", required: true }),
    field("title", "Title", { required: true }),
    field("document_type", "Type", { kind: "select", value: defaultType, options: DOCUMENT_TYPES.map((t) => [t, words(t)]) }),
    field("expires_on", "Expires on (optional)", { kind: "date" }),
    field("tags", "Tags (comma-separated, optional)"),
    send,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    busy(send, async () => {
      clearErrors(form);
      const data = new FormData(form);
      data.append("links", JSON.stringify([{ kind, id }]));
      if (!data.get("expires_on")) data.delete("expires_on");
      try {
        await api("POST", paths.documents.list, { body: data });
        flash("Document uploaded.");
        await reload();
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  return form;
}
