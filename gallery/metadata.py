"""What a published photo must not carry: the camera's metadata (EXIF, XMP), which holds the
place it was taken (GPS), the camera's serial number and the time of day.

Renditions are what visitors download; the originals, kept for the owner, keep theirs.
"""

APP1 = 0xE1  # EXIF and XMP live in APP1 segments
START_OF_SCAN = 0xDA  # compressed picture data follows: nothing more to look at
STANDALONE = {0x01, *range(0xD0, 0xD8)}  # markers without a length


def jpeg_without_metadata(data):
    """The JPEG's bytes without its APP1 segments; the picture itself is left as it is.

    Anything that does not parse as a JPEG is returned unchanged.
    """
    if data[:2] != b"\xff\xd8":
        return data
    kept = [data[:2]]
    position = 2
    while position + 4 <= len(data):
        if data[position] != 0xFF:
            return data
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte before a marker
            position += 1
            continue
        if marker == START_OF_SCAN:
            break
        if marker in STANDALONE:
            kept.append(data[position : position + 2])
            position += 2
            continue
        length = int.from_bytes(data[position + 2 : position + 4], "big")
        if length < 2 or position + 2 + length > len(data):
            return data
        if marker != APP1:
            kept.append(data[position : position + 2 + length])
        position += 2 + length
    kept.append(data[position:])
    return b"".join(kept)
