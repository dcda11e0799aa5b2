"""Caption files: WebVTT as browsers play it, SubRip (SRT) converted to it.

Subtitlers deliver SRT more often than WebVTT; browsers' <track> elements read only WebVTT.
An SRT file differs in its header (none), its decimal comma ("00:00:01,500") and its markup
(<font> and {\\an8} tags that WebVTT has not), so a converted file keeps the cues' times
and text, with the markup WebVTT has (<i>, <b>, <u>).
"""

import re

MAX_CAPTION_BYTES = 2 * 1024 * 1024
TIMING_RE = re.compile(
    r"^\s*(?P<start>(?:\d+:)?\d{1,2}:\d{2}[,.]\d{1,3})\s*-->\s*"
    r"(?P<end>(?:\d+:)?\d{1,2}:\d{2}[,.]\d{1,3})(?P<settings>.*)$"
)
KEPT_TAG_RE = re.compile(r"</?[ibu]>", re.IGNORECASE)
ANY_TAG_RE = re.compile(r"</?[a-zA-Z][^<>]*>")
ASS_TAG_RE = re.compile(r"\{\\[^{}]*\}")
BARE_AMPERSAND_RE = re.compile(r"&(?![a-zA-Z]+;|#\d+;|#x[0-9a-fA-F]+;)")


class CaptionError(ValueError):
    """The file is not captions in WebVTT or SRT; the message says what is wrong."""


def decode(data):
    """Caption text from bytes: UTF-8 (with or without a BOM), else Windows-1252, the
    encoding of many SRT files written on Windows."""
    if len(data) > MAX_CAPTION_BYTES:
        raise CaptionError("This file is too large to be captions (over 2 MB).")
    if b"\x00" in data:
        raise CaptionError("This file is not a text file: captions are WebVTT or SRT text.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _timestamp(value):
    """From "1:02,5" or "00:01:02,500" to "00:01:02.500"."""
    value = value.replace(",", ".")
    clock, _, fraction = value.partition(".")
    parts = [int(part) for part in clock.split(":")]
    while len(parts) < 3:
        parts.insert(0, 0)
    hours, minutes, seconds = parts
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{fraction.ljust(3, '0')[:3]}"


def _clean_text(line):
    line = ASS_TAG_RE.sub("", line)
    kept = []

    def keep(match):
        kept.append(match.group(0).lower())
        return f"\x00{len(kept) - 1}\x00"

    line = KEPT_TAG_RE.sub(keep, line)
    line = ANY_TAG_RE.sub("", line)
    line = BARE_AMPERSAND_RE.sub("&amp;", line).replace("<", "&lt;").replace(">", "&gt;")
    line = line.replace("-->", "--&gt;")
    return re.sub(r"\x00(\d+)\x00", lambda match: kept[int(match.group(1))], line)


def srt_to_webvtt(text):
    """WebVTT text of an SRT file's text; CaptionError when no cue can be read."""
    cues = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [line for line in block.split("\n") if line.strip()]
        timing = next((i for i, line in enumerate(lines) if TIMING_RE.match(line)), None)
        if timing is None or timing > 1:
            continue
        match = TIMING_RE.match(lines[timing])
        start, end = _timestamp(match["start"]), _timestamp(match["end"])
        body = [_clean_text(line) for line in lines[timing + 1 :]]
        cues.append(f"{start} --> {end}\n" + "\n".join(line for line in body if line.strip()))
    if not cues:
        raise CaptionError(
            "No caption could be read in this file: captions are WebVTT (.vtt) or SubRip "
            "(.srt), with lines such as “00:00:01,000 --> 00:00:04,000”."
        )
    return "WEBVTT\n\n" + "\n\n".join(cues) + "\n"


def to_webvtt(data):
    """WebVTT text from the bytes of a WebVTT or SRT file."""
    text = decode(data)
    if text.lstrip().startswith("WEBVTT"):
        if not any(TIMING_RE.match(line) for line in text.split("\n")):
            raise CaptionError("This WebVTT file has no cue (no line with “-->”).")
        return text.lstrip()
    return srt_to_webvtt(text)
