// GOV.UK conditional reveal for radios marked data-module="toolkit-conditional-radios": each radio shows
// the block named by its data-aria-controls while it is chosen. Without JavaScript every block shows
// and the server reads only the chosen one's field. Unlike GOV.UK Frontend's own radios module, this
// sets no aria-expanded, which ARIA does not allow on a radio (axe-core: aria-allowed-attr, critical);
// aria-controls still tells assistive technology which block each radio controls.
for (const group of document.querySelectorAll('[data-module="toolkit-conditional-radios"]')) {
  const inputs = [...group.querySelectorAll('input[type="radio"][data-aria-controls]')];
  const sync = () => {
    for (const input of inputs) {
      const block = document.getElementById(input.dataset.ariaControls);
      if (!block) continue;
      input.setAttribute("aria-controls", block.id);
      block.classList.toggle("govuk-radios__conditional--hidden", !input.checked);
    }
  };
  for (const input of inputs) input.addEventListener("change", sync);
  sync();
}
