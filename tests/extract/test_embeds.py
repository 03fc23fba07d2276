"""Video embeds as an analyst would count them: one row per video a post shows, in order."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.score_embeds import load_cases, score
from mpcrawl.extract.embeds import Embed, classify_url, find_embeds

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
FIXTURES = SHARED / "wp-fixtures"
SEED = SHARED / "seeds" / "wp-post-4407.json"


def shared_json(path: Path) -> Any:
    if not path.exists():
        pytest.skip(f"shared test data not found at {path} (expected ../shared beside the repo)")
    return json.loads(path.read_text(encoding="utf-8"))


def summary(embeds: list[Embed]) -> list[tuple[str, str | None, str | None, str | None, str]]:
    return [(e.provider, e.video_id, e.playlist_id, e.canonical_url, e.kind) for e in embeds]


# --- the seed and the shared WordPress fixtures ---------------------------------------------


def test_the_seed_post_shows_one_youtube_video() -> None:
    post = shared_json(SEED)
    embeds = find_embeds(post["content"]["rendered"], post["link"])
    assert embeds == [
        Embed(
            provider="youtube",
            video_id="-RJcnOS7jzY",
            playlist_id=None,
            canonical_url="https://www.youtube.com/watch?v=-RJcnOS7jzY",
            start_seconds=None,
            embed_src="https://www.youtube.com/embed/-RJcnOS7jzY?feature=oembed",
            title="Sir John Whittingdale MP on Live Facial Recognition",
            kind="iframe",
            position=0,
        )
    ]


AWESOME = ("file", None, None, "https://awesome-fake.video/file.mp4", "video")
LOCALHOST = (
    "file",
    None,
    None,
    "http://localhost/wp-content/uploads/2018/09/Jul-26-2018-11-34-54.mp4",
    "video",
)
INLINE = ("file", None, None, None, "video")  # a base64 data: video has no URL to name
BLOCK_EXPECTED = {
    "core__video": [AWESOME],
    "core__media-text__video": [LOCALHOST],
    "core__cover__video": [INLINE],
    "core__cover__video-overlay": [INLINE],
    "core__embed": [],  # https://example.com/ is no video provider
}


def block_fixtures() -> list[Any]:
    folder = FIXTURES / "blocks"
    if not folder.exists():
        return [pytest.param(None, None, marks=pytest.mark.skip(reason=f"{folder} not found"))]
    return [
        pytest.param(path, BLOCK_EXPECTED[path.name.split(".")[0]], id=path.name)
        for path in sorted(folder.glob("*.html"))
    ]


@pytest.mark.parametrize(("path", "expected"), block_fixtures())
def test_core_block_fixtures(path: Path, expected: list[tuple[Any, ...]]) -> None:
    html = path.read_text(encoding="utf-8")
    assert summary(find_embeds(html, "http://localhost/?p=1")) == expected


def test_cover_video_keeps_only_the_media_type_of_an_inline_video() -> None:
    path = FIXTURES / "blocks" / "core__cover__video.server.html"
    if not path.exists():
        pytest.skip(f"{path} not found")
    (embed,) = find_embeds(path.read_text(encoding="utf-8"))
    assert embed.embed_src == "data:video/mp4;base64,"


def test_frontity_post_with_youtube_in_a_paragraph_tweet_and_instagram() -> None:
    post = shared_json(FIXTURES / "rest" / "frontity-wp-source-mocks" / "post-60.json")
    assert summary(find_embeds(post["content"]["rendered"])) == [
        ("youtube", "3bUtvUAeX8s", None, "https://www.youtube.com/watch?v=3bUtvUAeX8s", "iframe"),
        (
            "instagram",
            "BdqJaLiAYfe",
            None,
            "https://www.instagram.com/p/BdqJaLiAYfe/",
            "blockquote",
        ),
    ]


def test_frontity_media_description_holds_a_youtube_iframe() -> None:
    media = shared_json(FIXTURES / "rest" / "frontity-wp-source-mocks" / "media-11680.json")
    (embed,) = find_embeds(media["description"]["rendered"])
    assert (embed.video_id, embed.position) == ("3aA_MDPa1EU", 0)


def test_frontity_google_map_is_not_an_embed() -> None:
    page = shared_json(FIXTURES / "rest" / "frontity-wp-source-mocks" / "page-with-subpage.json")
    assert find_embeds(page["content"]["rendered"]) == []


# --- every provider, every form ----------------------------------------------------------------

YT = "https://www.youtube.com/watch?v="
CASES = [
    # WordPress oEmbed through Gutenberg, as in the seed post.
    (
        '<figure class="wp-block-embed is-type-video is-provider-youtube"><div class='
        '"wp-block-embed__wrapper"><iframe title="PMQs &#8211; 5 March" '
        'src="https://www.youtube.com/embed/-RJcnOS7jzY?feature=oembed"></iframe></div></figure>',
        ("youtube", "-RJcnOS7jzY", None, YT + "-RJcnOS7jzY", "iframe"),
        {"title": "PMQs – 5 March"},
    ),
    # wptexturize's &#038;, escaped once more (&amp;#038;) by a second filter pass.
    (
        '<iframe src="https://www.youtube.com/embed/-RJcnOS7jzY?feature=oembed&amp;#038;start=75">'
        "</iframe>",
        ("youtube", "-RJcnOS7jzY", None, YT + "-RJcnOS7jzY", "iframe"),
        {
            "start_seconds": 75,
            "embed_src": "https://www.youtube.com/embed/-RJcnOS7jzY?feature=oembed&start=75",
        },
    ),
    (
        '<iframe src="https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ?t=90"></iframe>',
        ("youtube", "aqz-KE-bpKQ", None, YT + "aqz-KE-bpKQ", "iframe"),
        {"start_seconds": 90},
    ),
    (
        "<p>https://www.youtube.com/watch?v=-RJcnOS7jzY#t=4m14s</p>",
        ("youtube", "-RJcnOS7jzY", None, YT + "-RJcnOS7jzY", "bare-url"),
        {"start_seconds": 254},
    ),
    (
        "<p>https://www.youtube.com/watch?time_continue=12&amp;v=kfVsfOSbJY0</p>",
        ("youtube", "kfVsfOSbJY0", None, YT + "kfVsfOSbJY0", "bare-url"),
        {"start_seconds": 12},
    ),
    (
        "<p>https://youtu.be/kfVsfOSbJY0?t=1m1s</p>",
        ("youtube", "kfVsfOSbJY0", None, YT + "kfVsfOSbJY0", "bare-url"),
        {"start_seconds": 61},
    ),
    (
        "<p>https://www.youtube.com/shorts/kfVsfOSbJY0</p>",
        ("youtube", "kfVsfOSbJY0", None, YT + "kfVsfOSbJY0", "bare-url"),
        {},
    ),
    (
        "<p>https://www.youtube.com/live/kfVsfOSbJY0?si=x</p>",
        ("youtube", "kfVsfOSbJY0", None, YT + "kfVsfOSbJY0", "bare-url"),
        {},
    ),
    (
        '<iframe src="https://www.youtube.com/embed/videoseries?list=PL56C3506BBE979C1B"></iframe>',
        (
            "youtube",
            None,
            "PL56C3506BBE979C1B",
            "https://www.youtube.com/playlist?list=PL56C3506BBE979C1B",
            "iframe",
        ),
        {},
    ),
    (
        '<iframe src="https://www.youtube.com/embed/SVRiktFlWxI?list=PL56C3506BBE979C1B"></iframe>',
        ("youtube", "SVRiktFlWxI", "PL56C3506BBE979C1B", YT + "SVRiktFlWxI", "iframe"),
        {},
    ),
    # a3 Lazy Load / Autoptimize keep the real URL in data-src, a placeholder in src.
    (
        '<iframe class="lazy lazy-hidden" src="about:blank" data-lazy-type="iframe" '
        'data-src="https://www.youtube.com/embed/kfVsfOSbJY0"></iframe>',
        ("youtube", "kfVsfOSbJY0", None, YT + "kfVsfOSbJY0", "iframe"),
        {},
    ),
    # WP Rocket: wp-media/rocket-lazyload-common Tests/Fixtures/iframe/youtubelazyloaded.html
    (
        '<div class="rll-youtube-player" data-src="https://www.youtube.com/embed/5x2Cr_4zRXA" '
        'data-id="5x2Cr_4zRXA" data-query="feature=oembed" data-alt=""></div><noscript><iframe '
        'width="1140" height="641" title="Hello World!" src="https://www.youtube.com/embed/'
        '5x2Cr_4zRXA?feature=oembed" frameborder="0" allowfullscreen></iframe></noscript>',
        ("youtube", "5x2Cr_4zRXA", None, YT + "5x2Cr_4zRXA", "iframe"),
        {"title": "Hello World!"},  # the <noscript> copy supplies the title the placeholder lacks
    ),
    # Automattic/jetpack .../Jetpack_Shortcodes_Youtube_Test.php (AMP)
    (
        '<amp-youtube data-videoid="SVRiktFlWxI" layout="responsive" width="640" height="360">'
        '<a href="https://www.youtube.com/watch?v=SVRiktFlWxI" placeholder></a></amp-youtube>',
        ("youtube", "SVRiktFlWxI", None, YT + "SVRiktFlWxI", "iframe"),
        {},
    ),
    (
        '<lite-youtube videoid="dQw4w9WgXcQ" params="start=10"></lite-youtube>',
        ("youtube", "dQw4w9WgXcQ", None, YT + "dQw4w9WgXcQ", "iframe"),
        {"start_seconds": 10},
    ),
    # Automattic/jetpack modules/shortcodes/youtube.php docblock: the 2008 <object> embed code
    (
        '<object width="425" height="344"><param name="movie" value="http://www.youtube.com/v/'
        'M1D30gS7Z8U&hl=en"></param><embed src="http://www.youtube.com/v/M1D30gS7Z8U&hl=en" '
        'type="application/x-shockwave-flash" width="425" height="344"></embed></object>',
        ("youtube", "M1D30gS7Z8U", None, YT + "M1D30gS7Z8U", "object"),
        {},
    ),
    # Automattic/jetpack .../Jetpack_Shortcodes_Vimeo_Test.php
    (
        '<iframe src="//player.vimeo.com/video/81408697?byline=0&amp;badge=0&amp;color=ffffff" '
        'width="500" height="281"></iframe>',
        ("vimeo", "81408697", None, "https://vimeo.com/81408697", "iframe"),
        {"embed_src": "https://player.vimeo.com/video/81408697?byline=0&badge=0&color=ffffff"},
    ),
    (
        '<iframe src="https://player.vimeo.com/video/841452011?h=92dd187213#t=1m30s"></iframe>',
        ("vimeo", "841452011", None, "https://vimeo.com/841452011", "iframe"),
        {"start_seconds": 90},
    ),
    (
        "<p>https://vimeo.com/channels/staffpicks/76979871</p>",
        ("vimeo", "76979871", None, "https://vimeo.com/76979871", "bare-url"),
        {},
    ),
    (
        '<iframe src="https://www.dailymotion.com/embed/video/x8oma9?start=45"></iframe>',
        ("dailymotion", "x8oma9", None, "https://www.dailymotion.com/video/x8oma9", "iframe"),
        {"start_seconds": 45},
    ),
    (
        '<iframe src="https://geo.dailymotion.com/player/xmztx.html?video=x9ekanc"></iframe>',
        ("dailymotion", "x9ekanc", None, "https://www.dailymotion.com/video/x9ekanc", "iframe"),
        {},
    ),
    (
        "<p>https://www.dailymotion.com/video/x9ekanc_some-title-here</p>",
        ("dailymotion", "x9ekanc", None, "https://www.dailymotion.com/video/x9ekanc", "bare-url"),
        {},
    ),
    (
        '<iframe src="https://www.facebook.com/plugins/video.php?href=https%3A%2F%2Fwww.facebook.com'
        '%2FUKParliament%2Fvideos%2F10153231379946729%2F&amp;show_text=0&amp;width=560&amp;t=30">'
        "</iframe>",
        (
            "facebook",
            "10153231379946729",
            None,
            "https://www.facebook.com/UKParliament/videos/10153231379946729/",
            "iframe",
        ),
        {"start_seconds": 30},
    ),
    # ampproject/amp-wp tests/php/test-amp-facebook-embed.php (video_embed)
    (
        '<div class="fb-video" data-href="https://www.facebook.com/amanda.orr.56/videos/'
        '10212156330049017/" data-show-text="false"></div>',
        (
            "facebook",
            "10212156330049017",
            None,
            "https://www.facebook.com/amanda.orr.56/videos/10212156330049017/",
            "iframe",
        ),
        {},
    ),
    (
        '<blockquote class="tiktok-embed" cite="https://www.tiktok.com/@scout2015/video/'
        '6718335390845095173" data-video-id="6718335390845095173"><section></section></blockquote>',
        (
            "tiktok",
            "6718335390845095173",
            None,
            "https://www.tiktok.com/@scout2015/video/6718335390845095173",
            "blockquote",
        ),
        {},
    ),
    (
        '<blockquote class="instagram-media" data-instgrm-permalink="https://www.instagram.com/reel/'
        'C4kQz2xN1aB/?utm_source=ig_embed&amp;utm_campaign=loading"></blockquote>',
        (
            "instagram",
            "C4kQz2xN1aB",
            None,
            "https://www.instagram.com/reel/C4kQz2xN1aB/",
            "blockquote",
        ),
        {},
    ),
    (
        '<blockquote class="twitter-video" data-lang="en"><p>clip</p>&mdash; Alex (@aldbpr) '
        '<a href="https://x.com/aldbpr/status/741462605965840388">June 11, 2016</a></blockquote>',
        (
            "twitter",
            "741462605965840388",
            None,
            "https://twitter.com/aldbpr/status/741462605965840388",
            "blockquote",
        ),
        {},
    ),
    (
        '<iframe src="https://fast.wistia.net/embed/iframe/h8hay3nnt4?seo=false" title="Intro">'
        "</iframe>",
        ("wistia", "h8hay3nnt4", None, "https://fast.wistia.com/medias/h8hay3nnt4", "iframe"),
        {"title": "Intro"},
    ),
    (
        '<wistia-player media-id="ahh2wpcw8i"></wistia-player>',
        ("wistia", "ahh2wpcw8i", None, "https://fast.wistia.com/medias/ahh2wpcw8i", "iframe"),
        {},
    ),
    (
        "<iframe src='https://videopress.com/embed/OcobLTqC?hd=1&amp;at=20'></iframe>",
        ("videopress", "OcobLTqC", None, "https://videopress.com/v/OcobLTqC", "iframe"),
        {"start_seconds": 20},
    ),
    # WordPress.tv serves its videos through VideoPress; the wrapper names the provider.
    (
        '<figure class="wp-block-embed is-type-video is-provider-wordpress-tv"><div class='
        '"wp-block-embed__wrapper"><iframe src="https://video.wordpress.com/embed/OcobLTqC?hd=0">'
        "</iframe></div></figure>",
        ("wordpress-tv", None, None, "https://videopress.com/v/OcobLTqC", "iframe"),
        {},
    ),
    (
        "<p>https://wordpress.tv/2023/12/11/state-of-the-word-2023/</p>",
        (
            "wordpress-tv",
            None,
            None,
            "https://wordpress.tv/2023/12/11/state-of-the-word-2023/",
            "bare-url",
        ),
        {},
    ),
    # Automattic/jetpack .../Jetpack_Shortcodes_Ted_Test.php (TED oEmbed html)
    (
        '<iframe src="https://embed.ted.com/talks/lang/fr/louie_schwartzberg_hidden_miracles_of_the_natural_world"></iframe>',
        (
            "ted",
            "louie_schwartzberg_hidden_miracles_of_the_natural_world",
            None,
            "https://www.ted.com/talks/louie_schwartzberg_hidden_miracles_of_the_natural_world",
            "iframe",
        ),
        {},
    ),
    # parliamentlive.tv's share embed: in= is a wall-clock time in the sitting, not an offset.
    (
        '<iframe src="https://videoplayback.parliamentlive.tv/Player/Index/A44EE3BE-F62C-4181-A5C4-'
        '571F91DC0B8E?in=2026-07-16T09%3A35%3A43%2B01%3A00&amp;audioOnly=False" '
        'title="UK Parliament Player"></iframe>',
        (
            "parliamentlive",
            "a44ee3be-f62c-4181-a5c4-571f91dc0b8e",
            None,
            "https://parliamentlive.tv/Event/Index/a44ee3be-f62c-4181-a5c4-571f91dc0b8e",
            "iframe",
        ),
        {"start_seconds": None, "title": "UK Parliament Player"},
    ),
    # WordPress core wp_video_shortcode() output: MediaElement's ?_=1 is not part of the file URL.
    (
        '<div style="width: 640px;" class="wp-video"><video class="wp-video-shortcode" '
        'id="video-1-1" preload="metadata" controls="controls"><source type="video/mp4" src="https://mp.example/'
        'wp-content/uploads/clip.mp4?_=1" /><a href="https://mp.example/wp-content/uploads/clip.mp4">'
        "https://mp.example/wp-content/uploads/clip.mp4</a></video></div>",
        ("file", None, None, "https://mp.example/wp-content/uploads/clip.mp4", "video"),
        {"embed_src": "https://mp.example/wp-content/uploads/clip.mp4?_=1"},
    ),
    (
        '<figure class="wp-block-video"><video controls src="https://mp.example/a.mp4"></video>'
        '<figcaption class="wp-element-caption">Surgery <em>dates</em></figcaption></figure>',
        ("file", None, None, "https://mp.example/a.mp4", "video"),
        {"title": "Surgery dates"},
    ),
    (
        '<figure class="wp-block-embed is-type-video is-provider-youtube"><div '
        'class="wp-block-embed__wrapper">\nhttps://www.youtube.com/watch?v=-RJcnOS7jzY\n</div>'
        "<figcaption>My question</figcaption></figure>",
        ("youtube", "-RJcnOS7jzY", None, YT + "-RJcnOS7jzY", "bare-url"),
        {"title": "My question"},
    ),
    # A failed embed block for a provider we do not know, but which WordPress marked as video.
    (
        '<figure class="wp-block-embed is-type-video is-provider-rumble"><div '
        'class="wp-block-embed__wrapper">\nhttps://rumble.com/v1abcd-pmqs.html\n</div></figure>',
        ("other", None, None, "https://rumble.com/v1abcd-pmqs.html", "bare-url"),
        {},
    ),
    (
        '<iframe src="https://player.twitch.tv/?video=v123456&amp;parent=mp.example"></iframe>',
        (
            "other",
            None,
            None,
            "https://player.twitch.tv/?video=v123456&parent=mp.example",
            "iframe",
        ),
        {},
    ),
]


@pytest.mark.parametrize(
    ("html", "expected", "fields"), CASES, ids=[c[1][0] + "-" + c[1][4] for c in CASES]
)
def test_each_provider_and_form(
    html: str, expected: tuple[Any, ...], fields: dict[str, Any]
) -> None:
    embeds = find_embeds(html)
    assert summary(embeds) == [expected]
    for name, value in fields.items():
        assert getattr(embeds[0], name) == value, name


NEGATIVES = {
    "maps": '<iframe src="https://www.google.com/maps/embed?pb=!1m18!1m12"></iframe>',
    "spotify": '<figure class="wp-block-embed is-type-rich is-provider-spotify"><div '
    'class="wp-block-embed__wrapper"><iframe src="https://open.spotify.com/embed/episode/5Bv2d">'
    "</iframe></div></figure>",
    "soundcloud": '<iframe src="https://w.soundcloud.com/player/?url=https%3A%2F%2Fapi.soundcloud.com'
    '%2Ftracks%2F293"></iframe>',
    "codepen": '<iframe src="https://codepen.io/example/embed/yLbEzWV"></iframe>',
    "wp-post-embed": '<blockquote class="wp-embedded-content"><a href="https://mp.example/a/">A</a>'
    '</blockquote><iframe class="wp-embedded-content" src="https://mp.example/a/embed/"></iframe>',
    "channel-in-sentence": '<p>Follow <a href="https://www.youtube.com/@UKParliament">'
    "https://www.youtube.com/@UKParliament</a> for more.</p>",
    "video-link-in-text": '<p>Watch <a href="https://youtu.be/kfVsfOSbJY0">https://youtu.be/'
    "kfVsfOSbJY0</a> and tell me what you think.</p>",
    "plain-tweet": '<blockquote class="twitter-tweet"><p>Hello</p>&mdash; MP (@mp) <a href="'
    'https://twitter.com/mp/status/911998747198009344">Sept</a></blockquote>',
    "random-iframe": '<iframe src="https://www.gofundme.com/f/food-bank/widget/large"></iframe>',
    "failed-embed-unknown": '<figure class="wp-block-embed"><div class="wp-block-embed__wrapper">'
    "https://example.com/</div></figure>",
    "audio": '<figure class="wp-block-audio"><audio controls src="https://mp.example/a.mp3"></audio>'
    "</figure>",
    "facebook-post": '<div class="fb-post" data-href="https://www.facebook.com/zuck/posts/'
    '10102593740125791"></div>',
}


@pytest.mark.parametrize("html", NEGATIVES.values(), ids=NEGATIVES.keys())
def test_what_is_not_a_video_embed(html: str) -> None:
    assert find_embeds(html) == []


# --- one row per video, in order -----------------------------------------------------------


def test_the_same_video_shown_twice_is_one_row_at_its_first_place() -> None:
    # Choice: a post that shows one video twice (say at the top and again at the end) still
    # shows one video; the row keeps the first position. Other videos keep their order.
    html = (
        '<iframe src="https://player.vimeo.com/video/76979871"></iframe>'
        '<iframe src="https://www.youtube.com/embed/kfVsfOSbJY0"></iframe>'
        "<p>https://vimeo.com/76979871</p>"
        '<amp-youtube data-videoid="kfVsfOSbJY0"></amp-youtube>'
        "<p>https://dai.ly/x8oma9</p>"
    )
    embeds = find_embeds(html)
    assert [(e.provider, e.position) for e in embeds] == [
        ("vimeo", 0),
        ("youtube", 1),
        ("dailymotion", 2),
    ]


def test_loose_text_lines_keep_their_place_between_blocks() -> None:
    html = (
        "Intro\nhttps://youtu.be/kfVsfOSbJY0\n"
        '<div><iframe src="https://player.vimeo.com/video/1234567"></iframe></div>\n'
        "https://dai.ly/x8oma9\n"
    )
    assert [e.provider for e in find_embeds(html)] == ["youtube", "vimeo", "dailymotion"]


def test_relative_sources_resolve_against_the_post_url() -> None:
    (embed,) = find_embeds('<video src="../media/clip.webm"></video>', "https://mp.example/news/p/")
    assert embed.canonical_url == "https://mp.example/news/media/clip.webm"
    (embed,) = find_embeds('<iframe src="//www.youtube.com/embed/kfVsfOSbJY0"></iframe>')
    assert embed.embed_src == "https://www.youtube.com/embed/kfVsfOSbJY0"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://www.youtube.com/watch?v=kfVsfOSbJY0&list=RDkfVsfOSbJY0",
            ("kfVsfOSbJY0", "RDkfVsfOSbJY0"),
        ),
        ("https://www.youtube.com/embed?listType=user_uploads&list=UKParliament", None),
        ("https://www.youtube.com/watch?v=tooshort", None),
        ("https://vimeo.com/ukparliament", None),
        ("https://www.facebook.com/video.php?v=546877659119730", ("546877659119730", None)),
        ("https://www.instagram.com/jeherve/p/BnMO9vRleEx/", ("BnMO9vRleEx", None)),
        ("https://www.tiktok.com/embed/v2/6718335390845095173", ("6718335390845095173", None)),
        ("https://parliamentlive.tv/Event/Index/not-a-guid", None),
        ("ftp://example.org/clip.mp4", None),
        ("http://[::1/clip.mp4", None),
    ],
)
def test_classify_url(url: str, expected: tuple[str | None, str | None] | None) -> None:
    ref = classify_url(url)
    assert (None if ref is None else (ref.video_id, ref.playlist_id)) == expected


# --- robustness and speed ----------------------------------------------------------------

FRAGMENTS = st.sampled_from(
    [
        "<iframe src='https://www.youtube.com/embed/kfVsfOSbJY0'>",
        "</iframe>",
        "<p>",
        "</p>",
        "<br>",
        "\n",
        "https://vimeo.com/76979871",
        "<video><source src='/a.mp4?_=1'>",
        "<blockquote class='twitter-video'>",
        "<blockquote class='instagram-media' data-instgrm-permalink='https://instagram.com/p/'>",
        "<a href='https://youtu.be/kfVsfOSbJY0'>",
        "<div class='wp-block-embed__wrapper'>",
        "<object data='//[::1'>",
        "&amp;#038;",
        "<!-- wp:embed -->",
        "\x00",
        "<?xml version='1.0' encoding='utf-8'?>",
        "<div class='rll-youtube-player' data-id=''>",
        "<amp-youtube data-videoid='x'>",
    ]
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.one_of(st.text(), st.lists(st.one_of(FRAGMENTS, st.text(max_size=8))).map("".join)))
def test_no_text_makes_it_raise_and_positions_count_from_zero(html: str) -> None:
    embeds = find_embeds(html, "https://mp.example/p/1")
    assert [e.position for e in embeds] == list(range(len(embeds)))
    keys = [
        (e.provider, e.video_id or e.playlist_id or e.canonical_url or e.embed_src) for e in embeds
    ]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize(
    "html",
    [
        "",
        " ",
        "<!-- only a comment -->",
        "\x00" * 10,
        "<" * 10_000,
        "<div>" * 3_000 + "x",
        "é" * 100_000,
    ],
)
def test_odd_inputs_give_no_rows(html: str) -> None:
    assert find_embeds(html) == []


# --- the labelled set --------------------------------------------------------------------


def test_labelled_set_precision_and_recall() -> None:
    cases = load_cases()
    assert len(cases) >= 60
    report = score(cases)
    assert report.overall.precision >= 0.98, report.failures
    assert report.overall.recall >= 0.95, report.failures
