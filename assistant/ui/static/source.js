window.__citeHandlers = window.__citeHandlers || {};
const scope = props.scope;
if (window.__citeHandlers[scope]) document.removeEventListener('click', window.__citeHandlers[scope]);
window.__citeHandlers[scope] = async (event) => {
  const link = event.target.closest('a.cite');
  if (!link || !link.closest('.cite-scope-' + scope)) return;
  event.preventDefault();
  document.querySelectorAll('.cite-scope-' + scope + ' a.cite.active').forEach((a) => a.classList.remove('active'));
  link.classList.add('active');
  props.value = await server.show_source(link.getAttribute('href'));
  setTimeout(() => {
    const mark = element.querySelector('mark');
    const doc = element.querySelector('.doc');
    if (mark && doc) doc.scrollTop = mark.offsetTop - doc.offsetTop - doc.clientHeight / 3;
  }, 50);
};
document.addEventListener('click', window.__citeHandlers[scope]);
