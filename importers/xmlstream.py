"""Reading an XML export safely and as a stream.

defusedxml refuses entity declarations and external references (no "billion
laughs", no file disclosure); each child of the root element is handed over
once read and then freed, so a large export is read in little memory.
"""

from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from django.utils.translation import gettext as _

from .service import ImportFormatError


def split_tag(tag):
    """``{namespace}local`` → (namespace, local)."""
    if tag.startswith("{"):
        namespace, _sep, local = tag[1:].partition("}")
        return namespace, local
    return "", tag


def text_of(element):
    return (element.text or "").strip() if element is not None else ""


def children(path, *, check_root):
    """Each child element of the root of the XML file at ``path``, in document order.

    ``check_root(root)`` is called with the root element when it starts and
    raises ``ImportFormatError`` if the file is not what is expected. The
    element yielded is cleared after use: take what is needed before the next.
    """
    try:
        depth, root = 0, None
        with open(path, "rb") as stream:
            for event, element in iterparse(stream, events=("start", "end")):
                if event == "start":
                    if depth == 0:
                        check_root(element)
                        root = element
                    depth += 1
                    continue
                depth -= 1
                if depth == 1:
                    yield element
                    element.clear()
                    root.remove(element)
    except DefusedXmlException as error:
        raise ImportFormatError(
            _("The file declares XML entities or external references, which are refused for safety (%s).")
            % type(error).__name__
        ) from error
    except ParseError as error:
        line, column = getattr(error, "position", (0, 0))
        raise ImportFormatError(
            _("The file is not well-formed XML (line %(line)s, column %(column)s): %(error)s")
            % {"line": line, "column": column, "error": error}
        ) from error
    except OSError as error:
        raise ImportFormatError(_("Cannot read the file: %s") % error) from error
