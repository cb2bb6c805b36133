/**
 * The pages a person sees before they are a member: sign up a new operator (its first member is the owner), and
 * accept an invitation from the link an owner sent (`#/accept?token=...`). Both answer with a session, so the
 * person lands signed in on their start page.
 */

import { api } from "../../lib/api.js";
import { paths } from "../../lib/paths.js";
import { busy, field, h, mount, showErrors, values } from "../../lib/ui.js";

function page(main, title, intro, fields, button, send, ctx) {
  const form = h(
    "form.card.signin",
    { novalidate: true },
    h("h1", title),
    intro ? h("p.hint", intro) : null,
    fields,
    h("button.primary", { type: "submit" }, button),
    h("p", h("a", { href: "#/signin" }, "I have an account: sign in")),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    await busy(form.querySelector("button[type=submit]"), async () => {
      try {
        await ctx.signedIn(await send(values(form)));
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  mount(main, form);
  form.querySelector("input")?.focus();
}

export function signupPage(main, params, ctx) {
  page(
    main,
    "Start WellFlow for your company",
    "You become the owner of your company's WellFlow; invite your pumpers and office from the Members page.",
    [
      field("name", "Company name", { required: true, attrs: { autocomplete: "organization" } }),
      field("rrc_operator_number", "RRC operator number", { kind: "integer", hint: "Six digits, on your P-5. You can add it later." }),
      field("full_name", "Your name", { required: true, attrs: { autocomplete: "name" } }),
      field("email", "Email", { kind: "email", required: true }),
      field("password", "Password", { kind: "password", required: true, hint: "At least 12 characters.", attrs: { autocomplete: "new-password" } }),
    ],
    "Create the account",
    (form) =>
      api("POST", paths.auth.signup, {
        body: {
          organization: { name: form.name, rrc_operator_number: form.rrc_operator_number },
          user: { email: form.email, password: form.password, full_name: form.full_name },
        },
      }),
    ctx,
  );
}

export function acceptPage(main, params, ctx) {
  const token = ctx.query.get("token") || "";
  page(
    main,
    "Join your company on WellFlow",
    "Choose your name and password. If you already have a WellFlow account, leave them empty and the invitation joins it.",
    [
      field("token", "Invitation", { required: true, value: token, hint: "From the link your company's owner sent." }),
      field("full_name", "Your name", { attrs: { autocomplete: "name" } }),
      field("password", "Password", { kind: "password", hint: "At least 12 characters.", attrs: { autocomplete: "new-password" } }),
    ],
    "Join",
    (form) => api("POST", paths.invitations.accept, { body: form }),
    ctx,
  );
}
