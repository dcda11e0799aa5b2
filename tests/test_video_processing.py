"""Video masters go through the admin's upload form, are probed with FFmpeg and refused with
what was found when they are not video, and come out of the background worker as an HLS
ladder, a progressive MP4, a poster and scrubbing thumbnails; captions become WebVTT.

Every clip is made here with FFmpeg's test sources (testsrc2, sine), a few seconds long.
These tests run FFmpeg: without it they are skipped locally and fail under CI=true.
"""

import re
import shutil
import struct
import subprocess
import tempfile
from decimal import Decimal
from pathlib import Path
from unittest import mock

import av
import imageio_ffmpeg
import pytest
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from PIL import Image
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from gallery import validators, videos
from gallery.captions import CaptionError, srt_to_webvtt, to_webvtt
from gallery.media import owner_of
from gallery.models import Video
from gallery.probe import VideoRefused, probe_video
from gallery.tasks import process_video
from gallery.transcode import BLACK_LEVEL, brightness, run_ffmpeg
from tests.conftest import built_once_per_module, require

pytestmark = [pytest.mark.processes, pytest.mark.django_db]

SEGMENT = 1  # seconds: several segments from a clip of a few seconds
ADD_URL = "wagtailsnippets_gallery_video:add"


def ffmpeg_path():
    try:
        return imageio_ffmpeg.get_ffmpeg_exe()
    except (RuntimeError, OSError):
        return None


FFMPEG = ffmpeg_path()
CLIP_FOLDERS = []


def needs_ffmpeg():
    require(FFMPEG is not None, "FFmpeg (the imageio-ffmpeg package) is not installed")


def make_clip(
    path,
    size="640x360",
    seconds=3,
    rate=25,
    audio=True,
    video_codec=("-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"),
    audio_codec=("-c:a", "aac"),
    black=0,
):
    """A test clip: FFmpeg's moving test pattern (after `black` seconds of black) and a tone."""
    picture = f"testsrc2=size={size}:rate={rate}:duration={seconds}"
    if black:
        picture = (
            f"color=black:size={size}:rate={rate}:duration={black}[black];{picture}[pattern];"
            "[black][pattern]concat=n=2:v=1:a=0"
        )
    command = [FFMPEG, "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", picture]
    if audio:
        command += ["-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds + black}"]
    command += ["-map", "0:v", *video_codec]
    if audio:
        command += ["-map", "1:a", *audio_codec]
    subprocess.run([*command, str(path)], check=True, timeout=120)
    return Path(path)


def rotated(source, path, degrees=90):
    """The same clip, its container asking players to turn it (as phones do)."""
    subprocess.run(
        [FFMPEG, "-hide_banner", "-loglevel", "error", "-y", "-display_rotation", str(degrees)]
        + ["-i", str(source), "-c", "copy", str(path)],
        check=True,
        timeout=60,
    )
    return Path(path)


def store(path, title, **fields):
    """A library video with this master, saved as the demo loader saves one."""
    with open(path, "rb") as handle:
        video = Video(title=title, file=File(handle, name=Path(path).name), **fields)
        video.save()
    return video


def read(name):
    with default_storage.open(name, "rb") as handle:
        return handle.read()


def boxes(data):
    """The top-level box types of an MP4 file, in order."""
    kinds, offset = [], 0
    while offset + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[offset : offset + 8])
        if size == 1:
            size = struct.unpack(">Q", data[offset + 8 : offset + 16])[0]
        kinds.append(kind.decode())
        offset += size or len(data)
    return kinds


def stream_infos(master):
    """(attributes, uri) of each variant of a master playlist."""
    lines = master.splitlines()
    variants = []
    for index, line in enumerate(lines):
        if line.startswith("#EXT-X-STREAM-INF:"):
            attributes = dict(re.findall(r'([A-Z-]+)=("[^"]*"|[^,]*)', line.split(":", 1)[1]))
            variants.append(
                ({key: value.strip('"') for key, value in attributes.items()}, lines[index + 1])
            )
    return variants


def segment_durations(playlist):
    return [float(value) for value in re.findall(r"#EXTINF:([0-9.]+),", playlist)]


def local(name, folder):
    """A stored output copied to a local file, for PyAV."""
    target = Path(folder) / name.replace("/", "_")
    target.write_bytes(read(name))
    return target


def video_streams(path):
    """(kind, codec) of each stream of a local media file."""
    with av.open(str(path)) as container:
        return [(stream.type, stream.codec_context.name) for stream in container.streams]


def first_frame(path):
    with av.open(str(path)) as container:
        frame = next(container.decode(video=0))
        return frame.width, frame.height, frame.rotation


# The library, processed once for the module ------------------------------------------------


def build_library():
    needs_ffmpeg()
    folder = Path(tempfile.mkdtemp(prefix="bts-clips-"))
    CLIP_FOLDERS.append(folder)
    clips = {
        "landscape": make_clip(folder / "landscape.mp4", size="1280x720", seconds=3),
        "black_start": make_clip(folder / "black-start.mp4", seconds=3, black=1, audio=False),
        "hevc": make_clip(
            folder / "hevc.mov",
            seconds=2,
            video_codec=(
                *("-c:v", "libx265", "-preset", "ultrafast", "-tag:v", "hvc1"),
                *("-x265-params", "log-level=error", "-pix_fmt", "yuv420p"),
            ),
        ),
        "prores": make_clip(
            folder / "prores.mov",
            size="480x270",
            seconds=2,
            video_codec=("-c:v", "prores_ks", "-profile:v", "0"),
            audio_codec=("-c:a", "pcm_s16le"),
        ),
    }
    clips["rotated"] = rotated(make_clip(folder / "upright.mp4", seconds=2), folder / "phone.mp4")
    library = {}
    with override_settings(VIDEO_HLS_SEGMENT_SECONDS=SEGMENT):
        for key, path in clips.items():
            library[key] = store(path, key.replace("_", " ").title())
            assert videos.process(library[key].pk) == "ready", Video.objects.get(
                pk=library[key].pk
            ).processing_error
    return {"clips": clips, "folder": folder, "videos": library}


library = built_once_per_module(build_library)


@pytest.fixture
def processed(library):
    """A fresh copy of each processed video from the database, by key."""
    return {key: Video.objects.get(pk=video.pk) for key, video in library["videos"].items()}


# Probe ------------------------------------------------------------------------------------


def test_probe_fields_are_stored_on_the_video(processed):
    video = processed["landscape"]
    assert video.processing_status == Video.Status.READY
    assert video.processing_progress == 100
    assert video.processed_at is not None
    assert video.duration == pytest.approx(3.0, abs=0.1)
    assert (video.width, video.height) == (1280, 720)
    assert video.frame_rate == pytest.approx(25.0)
    assert (video.video_codec, video.audio_codec, video.has_audio) == ("h264", "aac", True)
    assert video.rotation == 0
    assert video.duration_label == "0:03"


def test_a_master_without_sound_is_probed_as_such(processed):
    video = processed["black_start"]
    assert (video.has_audio, video.audio_codec) == (False, "")
    assert video.duration == pytest.approx(4.0, abs=0.1)


def test_a_rotated_master_is_probed_upright_and_comes_out_upright(processed, library):
    video = processed["rotated"]
    assert video.rotation == 90
    assert (video.width, video.height) == (360, 640)
    assert [(rung["width"], rung["height"]) for rung in video.renditions] == [(360, 640)]
    fallback = local(f"{video.output_folder}/fallback.mp4", library["folder"])
    assert first_frame(fallback) == (360, 640, 0)


# The HLS ladder -----------------------------------------------------------------------------


def test_the_ladder_never_goes_above_the_source(processed):
    assert [rung["name"] for rung in processed["landscape"].renditions] == [
        "360p",
        "540p",
        "720p",
    ]
    assert [(r["width"], r["height"]) for r in processed["landscape"].renditions] == [
        (640, 360),
        (960, 540),
        (1280, 720),
    ]
    assert [r["name"] for r in processed["black_start"].renditions] == ["360p"]


def test_a_master_smaller_than_the_lowest_rung_gets_one_rung_of_its_own_size(processed):
    assert [(r["name"], r["width"], r["height"]) for r in processed["prores"].renditions] == [
        ("270p", 480, 270)
    ]


def test_the_master_playlist_lists_every_variant_with_bandwidth_resolution_and_codecs(
    processed,
):
    video = processed["landscape"]
    variants = stream_infos(read(f"{video.output_folder}/master.m3u8").decode())
    assert [uri for _, uri in variants] == ["360p/index.m3u8", "540p/index.m3u8", "720p/index.m3u8"]
    for (attributes, _), rung in zip(variants, video.renditions, strict=True):
        assert int(attributes["BANDWIDTH"]) > 0
        assert attributes["RESOLUTION"] == f"{rung['width']}x{rung['height']}"
        assert attributes["CODECS"].startswith("avc1.")
        assert "mp4a.40.2" in attributes["CODECS"]


def test_each_rung_lists_segments_of_the_target_length_with_aligned_keyframes(processed, library):
    video = processed["landscape"]
    timelines = []
    for rung in video.renditions:
        playlist = read(f"{video.output_folder}/{rung['name']}/index.m3u8").decode()
        assert "#EXT-X-PLAYLIST-TYPE:VOD" in playlist
        assert "#EXT-X-ENDLIST" in playlist
        durations = segment_durations(playlist)
        assert len(durations) == 3
        assert all(d == pytest.approx(SEGMENT, abs=0.05) for d in durations[:-1])
        assert sum(durations) == pytest.approx(video.duration, abs=0.1)
        timelines.append(durations)
        for name in re.findall(r"^(segment-\d+\.ts)$", playlist, re.MULTILINE):
            segment = local(f"{video.output_folder}/{rung['name']}/{name}", library["folder"])
            with av.open(str(segment)) as container:
                packet = next(container.demux(video=0))
                assert packet.is_keyframe, f"{rung['name']}/{name} starts between keyframes"
    # Every rung cut at the same times: a player can switch between any two segments.
    assert all(timeline == timelines[0] for timeline in timelines)


def test_a_master_without_sound_makes_video_only_renditions(processed, library):
    video = processed["black_start"]
    variants = stream_infos(read(f"{video.output_folder}/master.m3u8").decode())
    assert "mp4a" not in variants[0][0]["CODECS"]
    segment = local(f"{video.output_folder}/360p/segment-00000.ts", library["folder"])
    assert [kind for kind, _ in video_streams(segment)] == ["video"]


@pytest.mark.parametrize("key, codec", [("hevc", "hevc"), ("prores", "prores")])
def test_hevc_and_prores_mov_masters_come_out_as_h264_and_aac(processed, library, key, codec):
    video = processed[key]
    assert video.video_codec == codec
    fallback = local(f"{video.output_folder}/fallback.mp4", library["folder"])
    assert sorted(video_streams(fallback)) == [
        ("audio", "aac"),
        ("video", "h264"),
    ]


# Fallback, poster, thumbnails ---------------------------------------------------------------


def test_the_fallback_mp4_has_its_index_before_its_media(processed, library):
    video = processed["landscape"]
    data = read(f"{video.output_folder}/fallback.mp4")
    kinds = boxes(data)
    assert kinds.index("moov") < kinds.index("mdat")
    fallback = local(f"{video.output_folder}/fallback.mp4", library["folder"])
    assert first_frame(fallback)[:2] == (1280, 720)  # the largest rung up to 720p


def test_the_poster_is_a_frame_about_ten_percent_in(processed, library):
    video = processed["landscape"]
    assert video.poster_frame_at == pytest.approx(0.3, abs=0.05)
    assert video.poster_id == video.generated_poster_id is not None
    poster = local(f"{video.output_folder}/poster.jpg", library["folder"])
    assert Image.open(poster).size == (1280, 720)


def test_the_automatic_poster_skips_black_frames(processed, library):
    video = processed["black_start"]
    assert 1.0 <= video.poster_frame_at <= 2.0  # black for the first second
    poster = local(f"{video.output_folder}/poster.jpg", library["folder"])
    assert brightness(poster) >= BLACK_LEVEL
    with video.poster.open_file() as handle:
        assert brightness(handle) >= BLACK_LEVEL


def test_sprite_and_webvtt_map_cover_the_whole_duration(processed):
    video = processed["landscape"]
    vtt = read(f"{video.output_folder}/thumbnails.vtt").decode()
    assert vtt.startswith("WEBVTT")
    cues = re.findall(
        r"(\d\d):(\d\d):(\d\d\.\d{3}) --> (\d\d):(\d\d):(\d\d\.\d{3})\nsprite\.jpg#xywh="
        r"(\d+),(\d+),(\d+),(\d+)",
        vtt,
    )
    assert len(cues) == 3
    with default_storage.open(f"{video.output_folder}/sprite.jpg") as handle:
        sprite_width, sprite_height = Image.open(handle).size
    previous_end = 0.0
    for cue in cues:
        start = int(cue[0]) * 3600 + int(cue[1]) * 60 + float(cue[2])
        end = int(cue[3]) * 3600 + int(cue[4]) * 60 + float(cue[5])
        x, y, w, h = (int(value) for value in cue[6:])
        assert start == pytest.approx(previous_end)
        assert end > start
        assert (w, h) == (160, 90)
        assert x + w <= sprite_width and y + h <= sprite_height
        previous_end = end
    assert previous_end == pytest.approx(video.duration, abs=0.001)


# Storage and serving ------------------------------------------------------------------------


def test_every_output_belongs_to_its_video_and_is_served_to_its_editors(processed, owner_client):
    video = processed["landscape"]
    for name in ("master.m3u8", "720p/index.m3u8", "720p/segment-00000.ts", "sprite.jpg"):
        assert owner_of(f"{video.output_folder}/{name}") == video
    assert owner_of(f"videos/{video.pk}-000000000000/master.m3u8") is None
    response = owner_client.get(video.hls_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.apple.mpegurl"
    segment = owner_client.get(video.output_url("360p/segment-00000.ts"))
    assert segment["Content-Type"] == "video/mp2t"


def test_progress_follows_ffmpeg_output_time(tmp_path):
    needs_ffmpeg()
    seen = []
    run_ffmpeg(
        ["-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25:duration=2", "-f", "null", "-"],
        duration=2.0,
        on_progress=seen.append,
    )
    assert seen and seen == sorted(seen)
    assert seen[-1] == pytest.approx(1.0, abs=0.05)


# Uploads through the admin ------------------------------------------------------------------


@pytest.fixture
def owner_client(client, django_user_model):
    owner = django_user_model.objects.create_superuser("owner", "owner@example.com", "x")
    client.force_login(owner)
    return client


def upload_form(title, upload, **fields):
    return {
        **nested_form_data(
            {"title": title, "poster_time": "", "poster": "", "captions": inline_formset([])}
        ),
        "file": upload,
        **fields,
    }


def file_errors(response):
    assert response.status_code == 200, "the form was accepted"
    return " ".join(response.context["form"].errors.get("file", []))


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory):
    needs_ffmpeg()
    folder = tmp_path_factory.mktemp("bad")
    whole = make_clip(folder / "whole.mp4", seconds=2)
    photo = folder / "photo.jpg"
    Image.new("RGB", (64, 48), (200, 90, 40)).save(photo, "JPEG")
    sound = folder / "sound.m4a"
    subprocess.run(
        [FFMPEG, "-loglevel", "error", "-y", "-f", "lavfi", "-i", "sine=duration=1"]
        + ["-c:a", "aac", str(sound)],
        check=True,
    )
    data = whole.read_bytes()
    return {
        "pdf": b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< >>\n%%EOF\n",
        "jpeg": photo.read_bytes(),
        "truncated": data[: len(data) // 2],
        "sound": sound.read_bytes(),
        "whole": data,
    }


@pytest.mark.parametrize(
    "kind, name, message",
    [
        ("pdf", "showreel.mp4", "This file is a PDF document, not a video."),
        ("jpeg", "still.mp4", "This file is a JPEG image, not a video."),
        ("truncated", "cut.mp4", "The file is truncated: it ends at"),
        ("sound", "sound.mp4", "No video stream found: the file has only sound (AAC)."),
        ("whole", "clip.avi", "Upload the video as an MP4, MOV, M4V, WebM or MKV file."),
    ],
)
def test_what_is_not_a_readable_video_is_refused_with_what_was_found(
    owner_client, bad_files, kind, name, message
):
    response = owner_client.post(
        reverse(ADD_URL), upload_form("Refused", SimpleUploadedFile(name, bad_files[kind]))
    )
    assert message in file_errors(response)
    assert not Video.objects.filter(title="Refused").exists()


def test_a_master_over_the_size_limit_is_refused(owner_client, bad_files, settings):
    settings.VIDEO_MAX_UPLOAD_SIZE = 10_000
    response = owner_client.post(
        reverse(ADD_URL), upload_form("Big", SimpleUploadedFile("big.mp4", bad_files["whole"]))
    )
    assert "videos of up to 9.8 KB can be uploaded" in file_errors(response)


def test_an_upload_is_probed_on_disk_and_processed_after_it_is_saved(
    owner_client, bad_files, settings, django_capture_on_commit_callbacks
):
    # A form's fields are limited to 1 KB; the file, ~100 times that, is not counted.
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    settings.VIDEO_HLS_SEGMENT_SECONDS = SEGMENT
    probed = []

    def probe(path):
        probed.append(Path(path))
        return probe_video(path)

    with (
        mock.patch.object(validators, "probe_video", probe),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = owner_client.post(
            reverse(ADD_URL),
            upload_form("Night unit", SimpleUploadedFile("night.mp4", bad_files["whole"])),
        )
    assert response.status_code == 302, response.context and response.context["form"].errors
    # Django's temporary file of the upload: the master never sat in memory.
    assert probed and probed[0].name.endswith(".upload.mp4")
    video = Video.objects.get(title="Night unit")
    assert video.processing_status == Video.Status.READY, video.processing_error
    assert default_storage.exists(f"{video.output_folder}/master.m3u8")


def test_a_webm_master_is_accepted(tmp_path):
    needs_ffmpeg()
    clip = make_clip(
        tmp_path / "clip.webm",
        size="320x180",
        seconds=1,
        video_codec=("-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8"),
        audio_codec=("-c:a", "libopus"),
    )
    probe = probe_video(clip)
    assert (probe.video_codec, probe.audio_codec) == ("vp9", "opus")
    validators.validate_video_file(SimpleUploadedFile("clip.webm", clip.read_bytes()))


def test_a_master_cut_before_its_index_is_called_truncated(tmp_path):
    needs_ffmpeg()
    clip = make_clip(tmp_path / "clip.mp4", seconds=1)
    data = clip.read_bytes()
    moov = data.index(b"moov") - 4
    (tmp_path / "cut.mp4").write_bytes(data[:moov])
    with pytest.raises(VideoRefused, match=r"truncated: its index \(the 'moov' box"):
        probe_video(tmp_path / "cut.mp4")


# The admin: listing, editor, retry, poster time, captions ----------------------------------


def test_the_listing_shows_each_state_and_the_duration(owner_client, processed):
    Video.objects.filter(pk=processed["prores"].pk).update(
        processing_status=Video.Status.PROCESSING, processing_progress=42
    )
    Video.objects.filter(pk=processed["hevc"].pk).update(
        processing_status=Video.Status.FAILED, processing_error="FFmpeg failed: out of disk"
    )
    Video.objects.filter(pk=processed["rotated"].pk).update(processing_status=Video.Status.QUEUED)
    content = owner_client.get(reverse("wagtailsnippets_gallery_video:list")).content.decode()
    for text in ("Ready", "Processing 42 %", "Failed: FFmpeg failed: out of disk", "Queued"):
        assert text in content
    assert "0:03" in content


def test_the_editor_shows_probe_poster_poster_time_and_captions(owner_client, processed):
    video = processed["landscape"]
    response = owner_client.get(reverse("wagtailsnippets_gallery_video:edit", args=[video.pk]))
    content = response.content.decode()
    assert "1280 × 720 pixels, 25 frames a second" in content
    assert "H.264, AAC" in content
    assert "360p, 540p, 720p" in content
    assert "the frame at 0.30 s, chosen automatically" in content
    assert 'name="poster_time"' in content
    assert 'id="id_captions-TOTAL_FORMS"' in content
    assert "gallery/js/video-admin.js" in content
    assert 'data-video-upload=""' in content


def test_retry_processes_a_failed_video_again(
    owner_client, library, settings, django_capture_on_commit_callbacks
):
    settings.VIDEO_HLS_SEGMENT_SECONDS = SEGMENT
    video = store(library["clips"]["prores"], "Failed once")
    videos.fail(video.pk, video.file.name, "FFmpeg failed: killed")
    url = reverse("wagtailsnippets_gallery_video:reprocess", args=[video.pk])
    assert "Retry" in owner_client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(url)
    assert response.status_code == 302
    video.refresh_from_db()
    assert video.processing_status == Video.Status.READY
    assert video.processing_error == ""


def test_a_new_poster_time_makes_a_new_poster_from_that_frame(
    owner_client, processed, django_capture_on_commit_callbacks
):
    video = processed["landscape"]
    old_poster = video.poster_id
    form = nested_form_data(
        {"title": video.title, "poster_time": "2.00", "poster": "", "captions": inline_formset([])}
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(
            reverse("wagtailsnippets_gallery_video:edit", args=[video.pk]), form
        )
    assert response.status_code == 302, response.context["form"].errors
    video.refresh_from_db()
    assert video.poster_time == Decimal("2.00")
    assert video.poster_frame_at == pytest.approx(2.0)
    assert video.poster_id not in (None, old_poster)
    assert video.poster_id == video.generated_poster_id
    assert video.processing_status == Video.Status.READY  # the ladder was left as it was


def test_a_poster_time_past_the_end_is_refused(owner_client, processed):
    video = processed["landscape"]
    form = nested_form_data(
        {"title": video.title, "poster_time": "9", "poster": "", "captions": inline_formset([])}
    )
    response = owner_client.post(
        reverse("wagtailsnippets_gallery_video:edit", args=[video.pk]), form
    )
    assert "The video is 3.00 seconds long." in response.content.decode()


SRT = (
    '1\r\n00:00:00,500 --> 00:00:01,750\r\n<font color="#ffff00">Rolling</font> & <i>speed</i>'
    "\r\n\r\n2\r\n00:00:02,000 --> 00:00:02,900 X1:10 X2:100\r\n{\\an8}Action!\r\n"
)


def test_an_srt_caption_uploaded_in_the_editor_is_stored_as_webvtt(owner_client, processed):
    video = processed["black_start"]
    caption = {
        "language": "it",
        "label": "Italiano",
        "file": SimpleUploadedFile("sottotitoli.srt", SRT.encode("cp1252")),
        "id": "",
        "ORDER": "1",
    }
    form = nested_form_data(
        {
            "title": video.title,
            "poster_time": "",
            "poster": str(video.poster_id),
            "captions": inline_formset([caption]),
        }
    )
    response = owner_client.post(
        reverse("wagtailsnippets_gallery_video:edit", args=[video.pk]), form
    )
    assert response.status_code == 302, response.context["form"].errors
    stored = video.captions.get()
    assert (stored.language, stored.label) == ("it", "Italiano")
    assert stored.file.name.endswith(".vtt")
    assert read(stored.file.name).decode() == (
        "WEBVTT\n\n00:00:00.500 --> 00:00:01.750\nRolling &amp; <i>speed</i>\n\n"
        "00:00:02.000 --> 00:00:02.900\nAction!\n"
    )
    assert owner_of(stored.file.name) == video


def test_srt_converts_to_webvtt_and_what_is_not_captions_is_refused():
    assert srt_to_webvtt("1\n0:00:01,5 --> 0:00:02,25\nCiao\n").startswith(
        "WEBVTT\n\n00:00:01.500 --> 00:00:02.250\nCiao"
    )
    assert to_webvtt(b"\xef\xbb\xbfWEBVTT\n\n00:01.000 --> 00:02.000\nHi\n").startswith("WEBVTT")
    with pytest.raises(CaptionError, match="No caption could be read"):
        to_webvtt(b"just some notes")
    with pytest.raises(CaptionError, match="not a text file"):
        to_webvtt(b"\x00\x01binary")


def test_deleting_a_video_deletes_its_outputs(
    library, django_capture_on_commit_callbacks, settings
):
    settings.VIDEO_HLS_SEGMENT_SECONDS = SEGMENT
    video = store(library["clips"]["prores"], "Short-lived")
    videos.process(video.pk)
    video.refresh_from_db()
    folder, poster = video.output_folder, video.generated_poster_id
    assert default_storage.exists(f"{folder}/fallback.mp4")
    with django_capture_on_commit_callbacks(execute=True):
        video.delete()
    assert not default_storage.exists(f"{folder}/fallback.mp4")
    assert not Video.generated_poster.field.related_model.objects.filter(pk=poster).exists()


def test_a_run_whose_master_is_replaced_meanwhile_stops_and_leaves_nothing(library, settings):
    settings.VIDEO_HLS_SEGMENT_SECONDS = SEGMENT
    video = store(library["clips"]["prores"], "Replaced while processing")
    real_fallback = videos.make_fallback

    def owner_replaces_the_master(out, rung):
        Video.objects.filter(pk=video.pk).update(
            file="videos/another-master.mov", processing_status=Video.Status.QUEUED
        )
        return real_fallback(out, rung)

    folders_before = set(default_storage.listdir("videos")[0])
    with mock.patch.object(videos, "make_fallback", owner_replaces_the_master):
        assert videos.process(video.pk) == "cancelled"
    video.refresh_from_db()
    assert (video.processing_status, video.output_folder) == (Video.Status.QUEUED, "")
    assert set(default_storage.listdir("videos")[0]) == folders_before


def test_the_editor_follows_processing_through_a_status_url(owner_client, processed):
    video = processed["landscape"]
    Video.objects.filter(pk=video.pk).update(
        processing_status=Video.Status.PROCESSING, processing_progress=42
    )
    url = reverse("wagtailsnippets_gallery_video:processing_status", args=[video.pk])
    assert owner_client.get(url).json() == {
        "status": "processing",
        "label": "Processing 42 %",
        "progress": 42,
        "error": "",
    }


def test_processing_a_task_twice_does_nothing_the_second_time(processed):
    assert process_video.call(processed["landscape"].pk) == "not queued"


def teardown_module():
    for folder in CLIP_FOLDERS:
        shutil.rmtree(folder, ignore_errors=True)
