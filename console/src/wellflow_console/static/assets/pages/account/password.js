/**
 * Getting back in: "Forgot password?" asks for a link by email (the answer is the same whether or not the email
 * has an account, and never shows the link), and `#/reset?token=...` (the link from the mail, or the one the
 * company's owner made on the Members page) sets a new password and signs the person straight in.
 */

import { api } from "../../lib/api.js";
import { paths } from "../../lib/paths.js";
import { busy, field, flash, h, mount, showErrors, values } from "../../lib/ui.js";

function card(title, intro, ...children) {
  return h("form.card.signin", { novalidate: true }, h("h1", title), intro ? h("p.hint", intro) : null, ...children);
}

export function forgotPage(main) {
  const answer = h("div", { role: "status", "aria-live": "polite" });
  const form = card(
    "Forgot your password?",
    "Type the email you sign in with. We mail you a link to choose a new password; it works once and expires soon.",
    field("email", "Email", { kind: "email", required: true, attrs: { autocomplete: "username" } }),
    h("button.primary", { type: "submit" }, "Send me a link"),
    answer,
    h("p", h("a", { href: "#/signin" }, "Back to sign in")),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    await busy(form.querySelector("button[type=submit]"), async () => {
      try {
        const sent = await api("POST", paths.auth.passwordReset, { body: values(form) });
        mount(
          answer,
          h("p.notice", sent.detail),
          sent.mail_configured
            ? null
            : h(
                "p.notice.warn",
                "This WellFlow sends no mail, so no link will arrive: ask your company's owner for a new sign-in link (Members page).",
              ),
        );
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  mount(main, form);
  form.querySelector("input").focus();
}

export function resetPage(main, params, ctx) {
  const token = ctx.query.get("token") || "";
  const form = card(
    "Choose a new password",
    "Choosing it signs you out on every other phone and computer.",
    field("token", "Link", { required: true, value: token, hint: "From the mail, or the link your company's owner gave you." }),
    field("password", "New password", { kind: "password", required: true, hint: "At least 12 characters.", attrs: { autocomplete: "new-password" } }),
    h("button.primary", { type: "submit" }, "Set the password and sign in"),
    h("p", h("a", { href: "#/forgot" }, "Ask for a new link")),
  );
  if (token) form.querySelector("[data-field=token]").hidden = true; // the link filled it: nothing to type
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    await busy(form.querySelector("button[type=submit]"), async () => {
      const { password } = values(form);
      let changed;
      try {
        changed = await api("POST", paths.auth.passwordResetConfirm, { body: values(form) });
      } catch (error) {
        if (token) form.querySelector("[data-field=token]").hidden = false; // so its problem shows beside it
        return showErrors(form, error);
      }
      try {
        await ctx.signedIn(await api("POST", paths.auth.signin, { body: { email: changed.email, password } }), changed.email);
        flash("Your new password is set.");
      } catch {
        flash("Your new password is set: sign in with it.");
        ctx.navigate("/signin");
      }
    });
  });
  mount(main, form);
  form.querySelector(token ? "input[name=password]" : "input").focus();
}
