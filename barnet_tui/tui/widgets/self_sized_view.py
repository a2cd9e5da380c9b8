"""A scroll view that sets its own virtual size, its scrollbars painted with the rest.

Textual's ScrollView compares the virtual size a layout gives it with its own; for a view
that sets its own (lines of text, rows of a table) the two never agree, so every layout of
the screen refreshed the scrollbars after the screen was painted, and it was painted again
a frame or two later: about 30 ms of opening a service or showing a new comment. Here the
scrollbars are set when the virtual size is, before the layout that it sets off paints
them, and a layout that changes nothing they show leaves them alone.
"""

from __future__ import annotations

from textual.geometry import Size
from textual.scroll_view import ScrollView


class SelfSizedView(ScrollView):
    """A ScrollView whose ``virtual_size`` is its own to set, with ``set_virtual_size``."""

    _scrollbars_shown: tuple[Size, Size, Size] | None = None

    def set_virtual_size(self, size: Size) -> None:
        """The view's new size, and its scrollbars set for it now."""
        self.virtual_size = size
        if self.outer_size:  # laid out already: the scrollbars have a window to fit
            self._scrollbars_shown = (self.outer_size, size, self.container_size)
            self._scroll_update(size)

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        shown = (size, self.virtual_size, container_size)
        if shown == self._scrollbars_shown:
            return False  # the same size, so no resize event either
        self._scrollbars_shown = shown
        return super()._size_updated(size, virtual_size, container_size, layout)
