/**
 * The site's stylesheet: plain CSS served by the app, no build step.
 *
 * @module
 */

/** The CSS served at `/static/style.css`. */
export const STYLE = `
:root { --ink: #1d2330; --muted: #5b6475; --line: #e3e6ec; --bg: #f6f7f9; --card: #fff;
  --accent: #3559e0; --accent-ink: #fff; --bad: #b3261e; --good: #1b7f3b; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--ink); background: var(--bg); }
header { background: var(--card); border-bottom: 1px solid var(--line); }
nav { max-width: 48rem; margin: 0 auto; padding: .75rem 1rem; display: flex; gap: 1rem;
  align-items: center; flex-wrap: wrap; }
nav .brand { font-weight: 700; margin-right: auto; color: var(--ink); text-decoration: none; }
nav a { color: var(--muted); text-decoration: none; }
nav a:hover, nav a[aria-current] { color: var(--accent); }
nav form.logout { display: inline; }
nav form.logout button { padding: 0; background: none; color: var(--muted); }
nav form.logout button:hover { color: var(--accent); }
nav.pager { padding: .5rem 0; justify-content: space-between; }
main { max-width: 48rem; margin: 1.5rem auto; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin: 0 0 1rem; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: .5rem; padding: 1rem; }
.stack > * + * { margin-top: .75rem; }
form.inline { display: flex; gap: .5rem; flex-wrap: wrap; }
form.inline input[type=text], form.inline input[type=search] { flex: 1 1 14rem; }
label { display: block; font-weight: 600; margin-bottom: .25rem; }
input, textarea { width: 100%; font: inherit; padding: .5rem .6rem; border: 1px solid var(--line);
  border-radius: .375rem; background: #fff; }
textarea { min-height: 5rem; resize: vertical; }
button { font: inherit; padding: .5rem 1rem; border: 0; border-radius: .375rem;
  background: var(--accent); color: var(--accent-ink); cursor: pointer; }
ul.thoughts { list-style: none; padding: 0; margin: 0; }
ul.thoughts li { background: var(--card); border: 1px solid var(--line); border-radius: .5rem;
  padding: .75rem 1rem; margin-bottom: .5rem; overflow-wrap: anywhere; }
.meta { color: var(--muted); font-size: .875rem; }
.error { color: var(--bad); }
.ok { color: var(--good); }
table { width: 100%; border-collapse: collapse; background: var(--card); }
th, td { text-align: left; padding: .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
code { font-size: .875rem; }
@media (max-width: 32rem) { th, td { display: block; } thead { display: none; } }
`;
