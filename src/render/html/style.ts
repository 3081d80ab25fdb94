/**
 * The report's stylesheet (inline: the file must open offline, with no fonts or CSS fetched).
 *
 * @module
 */
export const STYLE = `
:root{--bg:#f7f7f5;--fg:#1d1f21;--muted:#666;--card:#fff;--line:#ddd;
--world:#c62828;--wide:#e65100;--allowlisted:#b58900;--internal:#00838f;--local:#2e7d32;--closed:#9e9e9e;
--critical:#b71c1c;--high:#e53935;--medium:#f9a825;--low:#1e88e5;--info:#9e9e9e}
@media (prefers-color-scheme:dark){:root{--bg:#161719;--fg:#e6e6e6;--muted:#9a9a9a;--card:#202124;--line:#3a3a3a}}
*{box-sizing:border-box}
body{margin:0;padding:1.5rem 2rem;background:var(--bg);color:var(--fg);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
h1{margin:0 0 .25rem;font-size:1.6rem}h2{margin:2rem 0 .5rem;font-size:1.25rem}h3{margin:.2rem 0 .5rem;font-size:1rem}
code,pre{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;white-space:pre-wrap;word-break:break-all}
pre{margin:.3rem 0;padding:.4rem .6rem;background:rgba(127,127,127,.12);border-radius:4px}
.meta{color:var(--muted);margin:.1rem 0 .6rem}
.summary{display:flex;gap:.5rem;flex-wrap:wrap;margin:.6rem 0}
.badge{display:inline-block;padding:0 .45em;border-radius:3px;color:#fff;font-size:.8rem;font-weight:600;letter-spacing:.02em}
.summary .badge{font-size:.95rem;padding:.15rem .6rem}
.exposure-world.badge{background:var(--world)}.exposure-wide.badge{background:var(--wide)}.exposure-allowlisted.badge{background:var(--allowlisted)}
.exposure-internal.badge{background:var(--internal)}.exposure-local.badge{background:var(--local)}.exposure-closed.badge{background:var(--closed)}
.severity-critical{background:var(--critical)}.severity-high{background:var(--high)}.severity-medium{background:var(--medium);color:#222}
.severity-low{background:var(--low)}.severity-info{background:var(--info)}
.controls{position:sticky;top:0;z-index:2;display:flex;gap:.8rem;flex-wrap:wrap;align-items:center;padding:.6rem 0;background:var(--bg);border-bottom:1px solid var(--line)}
.controls input,.controls select{font:inherit;padding:.25rem .4rem;border:1px solid var(--line);border-radius:4px;background:var(--card);color:var(--fg)}
.controls input{min-width:16rem}.count{color:var(--muted)}
table{width:100%;border-collapse:collapse;background:var(--card);border:1px solid var(--line)}
th,td{padding:.35rem .5rem;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th button{all:unset;cursor:pointer;font-weight:600}th button:focus-visible{outline:2px solid var(--low)}
th[aria-sort=ascending] button::after{content:" ▲"}th[aria-sort=descending] button::after{content:" ▼"}
tr.suppressed{opacity:.55}.sub{color:var(--muted);font-size:.85em}
details summary{cursor:pointer}.facts{margin:.3rem 0;padding-left:1.2rem}
.hidden{display:none!important}
section.host,h2{scroll-margin-top:4rem}
.services{display:grid;grid-template-columns:repeat(auto-fill,minmax(30rem,1fr));gap:.8rem}
.service{background:var(--card);border:1px solid var(--line);border-left:6px solid var(--closed);border-radius:6px;padding:.6rem .8rem}
.service.exposure-world{border-left-color:var(--world)}.service.exposure-wide{border-left-color:var(--wide)}.service.exposure-allowlisted{border-left-color:var(--allowlisted)}
.service.exposure-internal{border-left-color:var(--internal)}.service.exposure-local{border-left-color:var(--local)}
.svc-name{color:var(--muted);font-weight:normal}
.path{list-style:none;margin:.3rem 0;padding:0;display:flex;flex-wrap:wrap;align-items:stretch;gap:.2rem}
.step{position:relative;padding:.3rem .55rem;border:1px solid var(--line);border-radius:4px;background:rgba(127,127,127,.06);max-width:100%}
.step+.step::before{content:"→";position:absolute;left:-.95rem;top:.3rem;color:var(--muted)}
.step+.step{margin-left:.8rem}
.step-title{display:block;font-weight:600}.step-note{display:block;color:var(--muted);font-size:.85em}
.exposure-world .step-origin{border-color:var(--world)}.exposure-wide .step-origin{border-color:var(--wide)}
.exposure-allowlisted .step-origin{border-color:var(--allowlisted)}.exposure-internal .step-origin{border-color:var(--internal)}
.decision{margin:.2rem 0;padding-left:.4rem;border-left:3px solid var(--closed)}
.decision.verdict-accept{border-left-color:var(--local)}.decision.verdict-drop,.decision.verdict-reject{border-left-color:var(--world)}
.decision code{display:block}.hook{font-size:.75em;color:var(--muted)}.fam{font-size:.75em;color:var(--muted)}
.may{font-size:.75em;background:var(--medium);color:#222;border-radius:3px;padding:0 .3em}
.notes,.svc-findings,.caveats{margin:.3rem 0;padding-left:1.1rem}.notes{color:var(--muted)}
.svc-findings{list-style:none;padding-left:0}.svc-findings li{margin:.15rem 0}
li.suppressed{opacity:.55}.code{color:var(--muted);font-size:.8em}
.diag-error,.status-failed{color:var(--world)}
footer{margin-top:2rem;color:var(--muted);font-size:.85em}
`;
