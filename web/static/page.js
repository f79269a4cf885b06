// gongkai's page works without this script: the picker has a button. With
// it, changing a list submits the picker at once, and a list below the one
// changed is cleared first (its choice belonged to the old parent).
document.addEventListener("DOMContentLoaded", function () {
  var form = document.querySelector("form.picker");
  if (!form) return;
  var lists = Array.prototype.slice.call(form.querySelectorAll("select[data-level]"));
  lists.forEach(function (sel, i) {
    sel.addEventListener("change", function () {
      for (var j = i + 1; j < lists.length; j++) lists[j].value = "";
      var year = form.querySelector("select[name=year]");
      if (year && sel !== year) year.value = "";
      form.submit();
    });
  });
  var year = form.querySelector("select[name=year]");
  if (year) year.addEventListener("change", function () { form.submit(); });
});
