// Saves every click at once, without reloading the page. Without this script the same forms are
// posted and the page comes back at the stelling: slower, but nothing is lost either way.
"use strict";
const melding = document.getElementById("melding");
const keuzelijst = document.getElementById("onderdeel");
let wachtrij = Promise.resolve();  // one save after the other, so the last click is the one kept

function toon(tekst, fout) {
  melding.textContent = tekst ? (fout ? "⚠ " : "") + tekst : "";
  melding.className = fout ? "fout" : "ok";
}

async function bewaar(form, knop) {
  const data = new URLSearchParams(new FormData(form));
  if (knop && knop.name) {
    data.set(knop.name, knop.value);
    const toelichting = form.closest("section").querySelector("input[name=toelichting]");
    if (toelichting) data.set("toelichting", toelichting.value);
  }
  let antwoord;
  try {
    const response = await fetch(form.action, {method: "POST", body: data, headers: {Accept: "application/json"}});
    antwoord = await response.json();
    if (!response.ok) return toon(antwoord.fout, true);
  } catch (fout) {
    return toon("Geen verbinding met de computer van de begeleider: dit antwoord is niet bewaard. Probeer het opnieuw.", true);
  }
  toon(antwoord.beantwoord === undefined ? "Uw stem is bewaard." : "", false);
  if (knop) {
    for (const ander of form.querySelectorAll("button")) ander.setAttribute("aria-pressed", String(ander === knop));
  }
  if (antwoord.beantwoord === undefined) return;  // a vote in the discussion: no progress to show
  document.getElementById("voortgang").value = antwoord.beantwoord;
  document.getElementById("teller").textContent = `${antwoord.beantwoord} van ${antwoord.totaal} stellingen beantwoord`;
  keuzelijst.options[antwoord.index].textContent = antwoord.label;
}

// The discussion: every few seconds, while the page is in view, ask which stelling the group votes
// on. The answers page shows a link to it; the voting page follows the coordinator to the next one.
const bespreking = document.getElementById("bespreking");
const stemming = document.getElementById("stemming");
async function kijk() {
  if (document.visibilityState !== "visible") return;
  let open;
  try {
    const response = await fetch("/stemming.json", {headers: {Accept: "application/json"}});
    if (!response.ok) return;
    open = (await response.json()).stelling || "";
  } catch (fout) {
    return;  // the next look tries again
  }
  if (bespreking) bespreking.hidden = !open;
  if (stemming && open !== stemming.dataset.stelling) location.replace("/stemmen");
}
setInterval(kijk, 2000);

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!form.hasAttribute("data-direct")) return;
  event.preventDefault();
  const knop = event.submitter;
  if (knop) wachtrij = wachtrij.then(() => bewaar(form, knop));  // Enter in a toelichting: saved on "change"
});
document.addEventListener("change", (event) => {
  if (event.target.name === "toelichting") wachtrij = wachtrij.then(() => bewaar(event.target.form, null));
});
