// Schedule form: picking an official day fills in how it repeats, its date and its length,
// so staff see what will be saved (the server applies the same values without this script).
(function () {
  "use strict";
  var form = document.getElementById("schedule-form");
  if (!form) { return; }
  var official = JSON.parse(form.dataset.official || "{}");
  var pick = form.elements.namedItem("official_day");
  if (!pick) { return; }
  pick.addEventListener("change", function () {
    var day = official[pick.value];
    if (!day) { return; }
    form.elements.namedItem("repeat").value = day.repeat;
    form.elements.namedItem("repeat_date").value = day.date;
    form.elements.namedItem("repeat_days").value = day.days;
    form.elements.namedItem("repeat_leap").checked = day.leap;
    var name = form.elements.namedItem("name");
    if (name && !name.value) { name.value = day.name; }
  });
}());
