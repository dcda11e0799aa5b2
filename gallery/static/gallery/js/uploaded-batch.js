// The "Add images" page: once photos are uploaded, one link to the "Edit captions and
// credits" bulk action on all of them (see gallery/templates/wagtailimages/multiple/add.html).
$(function () {
  const box = document.querySelector('[data-uploaded-batch]');
  const input = $('#fileupload');
  if (!box || !input.length) return;
  const link = box.querySelector('[data-uploaded-batch-link]');
  const collection = document.getElementById('id_addimage_collection');
  // Beyond this many ids the link would outgrow what servers accept in a URL: it then
  // names the collection the photos went into instead.
  const maxIds = 200;
  const ids = [];

  input.on('fileuploaddone', function (event, data) {
    let result;
    try {
      result = JSON.parse(data.result);
    } catch (error) {
      return;
    }
    if (!result.success || !result.image_id) return;
    ids.push(result.image_id);

    const next = new URL(box.dataset.indexUrl, window.location.href);
    if (collection) next.searchParams.set('collection_id', collection.value);
    const query = new URLSearchParams({ next: next.pathname + next.search });
    let label;
    if (ids.length <= maxIds) {
      ids.forEach(function (id) {
        query.append('id', id);
      });
      label = ids.length === 1 ? 'the photo just uploaded' : `the ${ids.length} photos just uploaded`;
    } else {
      query.append('id', 'all');
      query.append('childOf', collection ? collection.value : '');
      label = 'the photos of this collection';
    }
    link.href = `${box.dataset.bulkEditUrl}?${query}`;
    link.textContent = `Edit captions and credits of ${label}`;
    box.hidden = false;
  });
});
