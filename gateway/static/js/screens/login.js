// Signing in with a username and password (POST /api/auth).
import { Field, Button, value } from "../components/form.js";
import { ErrorMessage } from "../components/feedback.js";
import { html, useState } from "../html.js";
import { signIn } from "../session.js";
import { useAction } from "../use_api.js";

export default function Login({ onSignedIn }) {
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [submit, { busy, error }] = useAction(async () => onSignedIn(await signIn(username, password)));
  return html`<main class="login" id="main">
    <form class="login-card" onSubmit=${(event) => (event.preventDefault(), submit())}>
      <h1>Conversely</h1>
      <p class="muted">Review your Rasa assistant's conversations and improve it.</p>
      <${Field} label="Username">
        <input name="username" autocomplete="username" required autofocus value=${username} onInput=${(e) => setUsername(value(e))} />
      </${Field}>
      <${Field} label="Password">
        <input name="password" type="password" autocomplete="current-password" required value=${password}
          onInput=${(e) => setPassword(value(e))} />
      </${Field}>
      <${ErrorMessage} error=${error} />
      <${Button} type="submit" kind="primary" busy=${busy}>Sign in</${Button}>
    </form>
  </main>`;
}
