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
  toon("", false);
  if (knop) {
    for (const ander of form.querySelectorAll("button")) ander.setAttribute("aria-pressed", String(ander === knop));
  }
  document.getElementById("voortgang").value = antwoord.beantwoord;
  document.getElementById("teller").textContent = `${antwoord.beantwoord} van ${antwoord.totaal} stellingen beantwoord`;
  keuzelijst.options[antwoord.index].textContent = antwoord.label;
}

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
