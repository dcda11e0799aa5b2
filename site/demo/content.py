"""The words and facts of the demo portfolio: an invented set photographer and his films.

Every person, company and film here is made up; links point at reserved example domains.
"""

from bts_site.demo.images import Palette

OWNER = {
    "owner_name": "Lorenzo Valsecchi",
    "owner_role": "Behind-the-scenes videomaker and set photographer",
    "contact_email": "lorenzo.valsecchi@example.com",
    "vimeo_url": "https://vimeo.com/example",
    "instagram_url": "https://www.instagram.com/example",
}
CREDIT = "Lorenzo Valsecchi"
SITE_NAME = "Lorenzo Valsecchi · Behind the scenes"

# What each kind of generated picture shows, for people who cannot see it.
ALT_TEXT = {
    "lamps": "Crew members in silhouette under lamp beams on a night set",
    "bokeh": "A crew member in silhouette against out-of-focus set lights",
    "dolly": "A camera on a tripod beside dolly track, lit by a single lamp",
    "monitor": "Crew members in silhouette watching the glowing monitors of the video village",
    "window": "Daylight through a tall window falling across the set and the crew",
    "crane": "The arm of a camera crane against the sky, crew waiting below",
    "portrait": "A camera operator in silhouette, shoulder camera raised, backlit by a lamp",
}

HOME = {
    "title": "Home",
    "slug": "home",
    "seo_title": "Lorenzo Valsecchi, behind-the-scenes videomaker and set photographer",
    "search_description": (
        "Backstage films and set photography from Italian feature productions: technical "
        "sheets, galleries and a private showreel for productions."
    ),
    # {contact} becomes a link to the contact page once it exists.
    "intro": (
        "<p>I film and photograph the part of cinema nobody sees on screen: the crews, the "
        "waiting, the light being built one lamp at a time. Below are the films I have "
        "followed, each with its technical sheet and a selection of backstage photographs. "
        "Productions can ask for the private showreel through the {contact}.</p>"
    ),
}

ABOUT = {
    "title": "About",
    "slug": "about",
    "search_description": (
        "How a set photographer became a behind-the-scenes videomaker, and why he edits "
        "his own footage."
    ),
    "portrait": {
        "kind": "portrait",
        "frame": "upright",
        "title": "Portrait of Lorenzo Valsecchi at work",
        "caption": "At work on the night unit, camera on the shoulder.",
        "palette": Palette(
            top=(20, 26, 44), bottom=(34, 26, 22), light=(255, 204, 140), accent=(140, 180, 255)
        ),
    },
    "edit_image": {
        "kind": "monitor",
        "frame": "video",
        "title": "The edit, late at night",
        "caption": "Where the footage is developed: the timeline, the grade and the score.",
        "palette": Palette(
            top=(14, 18, 30), bottom=(22, 20, 24), light=(170, 210, 255), accent=(255, 170, 90)
        ),
    },
}

ABOUT_BODY = [
    ("heading", "From stills to moving pictures"),
    (
        "text",
        "<p>For years my place on a film set was next to the camera, with a stills body and "
        "a pocket full of batteries, waiting for the half second between action and cut. "
        "In 2015 a producer asked whether I could also film the making-of, and I found that "
        "everything I had learnt about a single frame still held when the frame started to "
        "move. Since then the behind-the-scenes unit has been the work I care about most; "
        "the stills camera is still in the bag.</p>",
    ),
    ("heading", "Composing in motion"),
    (
        "text",
        "<p>A photograph is decided in one instant; a shot is a composition that keeps "
        "changing under your hands. I look for the same things I look for in a still "
        "&ndash; a strong foreground, a line of light, a face that reads against the dark "
        "&ndash; and then let them travel: a slow push past a lamp stand, a pull of focus "
        "from the clapper to the actor, a frame that holds long enough for the set to walk "
        "through it.</p>",
    ),
    ("image", "edit_image"),
    ("heading", "The edit is my darkroom"),
    (
        "text",
        "<p>Filming is only half of it. When I printed black-and-white film, the picture "
        "really appeared in the developing tray, not in the camera. Editing and music play "
        "that part for me now: the rhythm of the cuts, the colour, the moment the score "
        "comes in are where hours of footage become a few minutes that feel like the set "
        "felt. I taught myself to edit, and I still cut every backstage film myself.</p>",
    ),
    (
        "quote",
        {
            "quote": "The camera collects the light; the edit decides what it meant.",
            "attribution": "Lorenzo Valsecchi",
        },
    ),
    (
        "collaborators",
        {
            "heading": "Working together",
            "people": [
                {
                    "name": "Tommaso Ferrante",
                    "role": "Composer",
                    "url": "https://tommaso-ferrante.example.com/",
                    "note": (
                        "An old friend and the composer of every score on my backstage "
                        "films. We watch the rough cut together and he answers the images "
                        "with a theme, often before I have found the words for them."
                    ),
                },
                {
                    "name": "Marta Bellini",
                    "role": "Colourist",
                    "url": "",
                    "note": (
                        "Grades the final versions, so that the backstage matches the film "
                        "it belongs to."
                    ),
                },
            ],
        },
    ),
    ("heading", "An orchestra of departments"),
    (
        "text",
        "<p>A film set sounds like chaos from the outside, but it plays more like an "
        "orchestra. Camera, grip and electric, art department, costume, make-up, sound, "
        "locations and production are sections with their own parts, and the director "
        "and the assistant directors keep them in time. When every section plays well the "
        "whole day goes better, and you can usually see it in the film too.</p>"
        "<p>Standing a little to one side, with no part of my own to play, I get to watch "
        "that machine from close up and to film the people who make it run. I have been on "
        "crews of 70 for a small drama and of 450 for a period co-production; on every one "
        "of them the good days came from the people, never from the equipment.</p>",
    ),
    ("heading", "Private work"),
    (
        "text",
        "<p>Much of what I shoot is covered by usage agreements with the productions and "
        "cannot be published here. If you work for a production and want to see the showreel "
        "or one particular project, write to me through the contact page: with the client's "
        "agreement I can send you a personal access pass.</p>",
    ),
]

FILM_INDEX = {
    "title": "Films",
    "slug": "films",
    "search_description": (
        "Technical sheets and backstage galleries of the films Lorenzo Valsecchi worked on."
    ),
    "intro": (
        "<p>The films I have worked on, newest first: cast and crew facts, what I did on "
        "set and a selection of backstage photographs. Filter by role or by year.</p>"
    ),
}

CONTACT = {
    "title": "Contact",
    "slug": "contact",
    "search_description": (
        "Write to Lorenzo Valsecchi about a production or to ask for the private showreel."
    ),
    "intro": (
        "<p>For a production, a collaboration or access to the private showreel, leave a "
        "few lines below. I usually answer within two working days.</p>"
    ),
    "thank_you_text": (
        "<p>Thank you, your message has arrived. I will get back to you at the address you "
        "gave, usually within two working days.</p>"
    ),
    "from_address": "portfolio@example.com",
    "subject": "A message from the portfolio site",
    "fields": [
        {"label": "Your name", "field_type": "singleline", "required": True},
        {"label": "Email", "field_type": "email", "required": True},
        {
            "label": "Production",
            "field_type": "singleline",
            "required": False,
            "help_text": "The film or company you are writing for, if any.",
        },
        {"label": "Message", "field_type": "multiline", "required": True},
    ],
}

SHOWREEL = {
    "title": "Showreel 2015–2019",
    "slug": "showreel",
    "search_description": "",
    "intro": (
        "<p>A private selection from five years of backstage units, shared with the "
        "productions' agreement. Please do not pass on the link or your password.</p>"
    ),
    "video": {
        "title": "Showreel 2015–2019 (excerpt)",
        "kind": "lamps",
        "poster_title": "Showreel 2015–2019, poster",
        "caption": "Night units, 2015–2019: an excerpt from the reel.",
        "palette": Palette(
            top=(16, 28, 54), bottom=(38, 28, 24), light=(255, 196, 120), accent=(120, 200, 255)
        ),
    },
    "gallery_title": "Frames from the reel",
    "photos": [
        (
            "crane",
            "video",
            "Reel frame: crane at first light",
            "First light on the crane, held for eleven seconds in the cut.",
        ),
        (
            "bokeh",
            "video",
            "Reel frame: wrap party lights",
            "Lights of the wrap party, the last shot of the reel.",
        ),
        (
            "dolly",
            "video",
            "Reel frame: track at night",
            "The track at night, seen from the camera's side.",
        ),
    ],
    "palette": Palette(
        top=(24, 22, 40), bottom=(30, 24, 20), light=(255, 186, 110), accent=(200, 120, 255)
    ),
    "text": (
        "<p>The reel draws on three of the productions listed on this site. Full-length "
        "backstage films are available on request, film by film, once the production has "
        "agreed.</p>"
    ),
    "related": ["the-glass-garden", "iron-and-velvet", "the-fourth-string"],
    "pass_label": "Demo pass: line producer, Example Productions",
}

FEATURED = ["iron-and-velvet", "the-glass-garden", "night-on-the-karst"]
# A backstage photo that is not the key image of any sheet, so the home opens on its own.
HERO_IMAGE_TITLE = "The Glass Garden: Crane on the terrace"


def _links(slug):
    return {
        "official_site_url": f"https://{slug}.example.com/",
        "trailer_url": f"https://video.example.com/{slug}/trailer",
        "imdb_url": f"https://imdb.example.org/title/{slug}/",
        "watch_url": f"https://watch.example.net/films/{slug}",
    }


FILMS = [
    {
        "slug": "the-salt-harbour",
        "title": "The Salt Harbour",
        "original_title": "Il porto del sale",
        "year": 2015,
        "director": "Giulia Ferraris",
        "production_company": "Lanterna Film",
        "distributor": "Mareblu Distribuzione",
        "country": "Italy",
        "genre": "Drama",
        "runtime_minutes": 98,
        "crew_size": 70,
        "shooting_period": "September to October 2015",
        "locations": "Chioggia and the Venetian lagoon",
        "composer": "Elena Marchetti",
        "roles": ["backstage-photographer", "bts-video-unit"],
        "synopsis": (
            "<p>A fisherman's daughter comes back to the lagoon town she left at eighteen to "
            "sell the family boat, and finds that her father has already promised it to "
            "someone else.</p>"
        ),
        "palette": Palette(
            top=(20, 48, 60), bottom=(36, 30, 26), light=(255, 170, 90), accent=(90, 200, 210)
        ),
        "layout": "grid",
        "gallery_title": "On the lagoon",
        "photos": [
            (
                "lamps",
                "still",
                "Night exterior on the quay",
                "Two lamps on the quay and the whole unit waiting for the tide to turn.",
            ),
            (
                "dolly",
                "scope",
                "Track along the fish market",
                "Laying track along the fish market for the opening shot.",
            ),
            (
                "bokeh",
                "still-small",
                "Harbour lights",
                "The harbour lights, wide open, between two set-ups.",
            ),
            (
                "window",
                "still-small",
                "The net loft",
                "Morning light through the net loft window: no lamps needed.",
            ),
            (
                "monitor",
                "upright",
                "Video village in the boathouse",
                "The director watching take nine in a borrowed boathouse.",
            ),
            (
                "crane",
                "still",
                "Crane over the moorings",
                "The crane arm lifted over the moorings for the last shot of the film.",
            ),
        ],
        "quote": {
            "quote": (
                "On a crew of seventy everybody carries something, and by the second week "
                "everybody knows your name."
            ),
            "attribution": "Set diary, week two",
        },
        "text": (
            "<p>The first film I followed with a video camera as well as a stills body. The "
            "schedule was written around the tides, so call times moved by almost an hour a "
            "day, and the backstage unit was me, a monopod and a waterproof bag.</p>"
        ),
    },
    {
        "slug": "iron-and-velvet",
        "title": "Iron and Velvet",
        "original_title": "Ferro e velluto",
        "year": 2017,
        "director": "Anne-Laure Delmas",
        "production_company": "Castelmonte Produzioni, Atelier Nord",
        "distributor": "Orizzonte Distribuzione",
        "country": "Italy, France",
        "genre": "Period drama",
        "runtime_minutes": 138,
        "crew_size": 450,
        "shooting_period": "August to December 2017",
        "locations": "Turin, the Langhe and the castles of the Aosta Valley",
        "composer": "Henri Vasseur",
        "roles": ["bts-video-unit", "scene-photographer"],
        "synopsis": (
            "<p>Turin, 1861. While a new kingdom is being argued into existence across the "
            "river, the daughter of a silk merchant quietly takes over her father's mills.</p>"
        ),
        "palette": Palette(
            top=(52, 20, 24), bottom=(40, 26, 18), light=(255, 190, 110), accent=(255, 140, 70)
        ),
        "layout": "sequence",
        "gallery_title": "Five months in the nineteenth century",
        "photos": [
            (
                "crane",
                "still",
                "Crane in the courtyard",
                "The crane in the castle courtyard before the carriage scene.",
            ),
            (
                "window",
                "still-small",
                "Ballroom by daylight",
                "The ballroom at the castle, lit through the windows only.",
            ),
            (
                "lamps",
                "scope",
                "The mill at night",
                "Night work at the silk mill: eleven lamps and a rain tower.",
            ),
            (
                "portrait",
                "tall",
                "Scene photographer",
                "Working as scene photographer on the castle weeks.",
            ),
            ("bokeh", "video", "Candle light", "Two hundred candles, lit and relit between takes."),
            (
                "dolly",
                "still-small",
                "Track through the mill",
                "Forty metres of track through the mill floor.",
            ),
        ],
        "quote": {
            "quote": (
                "Four hundred and fifty names on one call sheet, and every morning it "
                "somehow worked."
            ),
            "attribution": "Set diary, castle week",
        },
        "text": (
            "<p>On a production of this size the backstage unit is a small department of its "
            "own, with its own call times and its own place in the schedule. On the castle "
            "weeks I also covered the scene stills, so I went from the video camera to the "
            "stills body and back several times a day.</p>"
        ),
    },
    {
        "slug": "the-fourth-string",
        "title": "The Fourth String",
        "original_title": "La quarta corda",
        "year": 2018,
        "director": "Sara Benedetti",
        "production_company": "Officine Sonore Film",
        "distributor": "Mareblu Distribuzione",
        "country": "Italy",
        "genre": "Music drama",
        "runtime_minutes": 106,
        "crew_size": 160,
        "shooting_period": "February to April 2018",
        "locations": "Cremona and the Po valley",
        "composer": "Elena Marchetti",
        "roles": ["bts-video-unit", "backstage-photographer"],
        "synopsis": (
            "<p>A cellist who can no longer play learns to build instruments in a Cremona "
            "workshop, and has to decide whether the cello she is making is for someone else "
            "or for herself.</p>"
        ),
        "palette": Palette(
            top=(46, 32, 20), bottom=(30, 22, 16), light=(255, 210, 140), accent=(230, 160, 80)
        ),
        "layout": "masonry",
        "gallery_title": "In the workshop",
        "photos": [
            (
                "window",
                "still-small",
                "The luthier's window",
                "The workshop window, the only light the director wanted.",
            ),
            (
                "portrait",
                "upright",
                "Close on the bench",
                "Handheld at the bench while the varnish scene was lit.",
            ),
            (
                "monitor",
                "still-small",
                "Playback",
                "Playback of the concert scene, the whole crew listening.",
            ),
            (
                "lamps",
                "still",
                "Concert hall rig",
                "The concert hall rig from the back of the stalls.",
            ),
            (
                "bokeh",
                "still",
                "Fog on the Po",
                "Fog on the river and the lights of the unit base.",
            ),
            (
                "dolly",
                "scope",
                "Track in the nave",
                "A slow track down the nave for the rehearsal scene.",
            ),
        ],
        "quote": {
            "quote": (
                "The quietest set I have worked on: you could hear the wood being planed "
                "between takes."
            ),
            "attribution": "Set diary, workshop week",
        },
        "text": (
            "<p>Most of the film happens in one small room, so the backstage became a film "
            "about hands: the luthier's, the actress's, the focus puller's. I shot both the "
            "backstage video and the backstage stills.</p>"
        ),
    },
    {
        "slug": "night-on-the-karst",
        "title": "Night on the Karst",
        "original_title": "Notte sul Carso",
        "year": 2018,
        "director": "Davide Furlan",
        "production_company": "Bora Film",
        "distributor": "Nord Est Distribuzione",
        "country": "Italy, Slovenia",
        "genre": "Thriller",
        "runtime_minutes": 101,
        "crew_size": 95,
        "shooting_period": "October to November 2018",
        "locations": "Trieste and the Karst plateau",
        "composer": "Luka Zupan",
        "roles": ["bts-video-unit"],
        "synopsis": (
            "<p>On her last night shift before a transfer, a border police officer finds a "
            "car at the bottom of a sinkhole with its engine still warm.</p>"
        ),
        "palette": Palette(
            top=(12, 30, 40), bottom=(26, 24, 22), light=(255, 160, 60), accent=(100, 220, 230)
        ),
        "layout": "masonry",
        "gallery_title": "Thirty nights",
        "photos": [
            (
                "lamps",
                "still",
                "Sodium light on the road",
                "Sodium-orange light on the plateau road, one in the morning.",
            ),
            (
                "crane",
                "tall",
                "Crane over the sinkhole",
                "The crane reaching over the sinkhole for the discovery scene.",
            ),
            (
                "bokeh",
                "upright",
                "Rain and headlights",
                "Rain machine and headlights, shot through the windscreen.",
            ),
            (
                "monitor",
                "video",
                "Video village in the wind",
                "Video village under a tarpaulin, holding against the bora.",
            ),
            (
                "dolly",
                "still-small",
                "Track on the limestone",
                "Track levelled on bare limestone, shim by shim.",
            ),
            ("lamps", "upright", "Border post", "The abandoned border post, relit for one night."),
        ],
        "quote": {
            "quote": "The wind decided the schedule. We just wrote it down each evening.",
            "attribution": "First assistant director",
        },
        "text": (
            "<p>Thirty nights outdoors in autumn on the plateau, with a wind that could knock "
            "over a lamp stand. A small crew, and a backstage made mostly of headlights, "
            "torches and breath in the cold.</p>"
        ),
    },
    {
        "slug": "the-glass-garden",
        "title": "The Glass Garden",
        "original_title": "Il giardino di vetro",
        "year": 2019,
        "director": "Giulia Ferraris",
        "production_company": "Lanterna Film, Lario Pictures",
        "distributor": "Cinemare",
        "country": "Italy",
        "genre": "Family drama",
        "runtime_minutes": 118,
        "crew_size": 210,
        "shooting_period": "June to August 2019",
        "locations": "Lake Como and Bellagio",
        "composer": "Paolo Gentile",
        "roles": ["bts-video-unit", "backstage-photographer", "scene-photographer"],
        "synopsis": (
            "<p>Three grown-up siblings spend a last summer in the family villa on the lake, "
            "clearing out a greenhouse their mother never let anyone enter.</p>"
        ),
        "palette": Palette(
            top=(40, 60, 40), bottom=(34, 32, 20), light=(255, 230, 160), accent=(170, 230, 120)
        ),
        "layout": "masonry",
        "gallery_title": "A summer on the lake",
        "photos": [
            (
                "window",
                "still-small",
                "Inside the greenhouse",
                "Inside the greenhouse: diffusion on every pane, sun through all of it.",
            ),
            (
                "crane",
                "still-small",
                "Crane on the terrace",
                "The crane on the terrace for the opening shot over the lake.",
            ),
            (
                "monitor",
                "still",
                "Monitors in the lemon house",
                "Monitors set up in the lemon house, out of the heat.",
            ),
            (
                "bokeh",
                "scope",
                "Evening on the jetty",
                "Evening on the jetty, lights of the far shore out of focus.",
            ),
            (
                "portrait",
                "upright",
                "Between takes",
                "Between takes on the boat, stills body ready.",
            ),
            (
                "lamps",
                "still",
                "Night in the villa garden",
                "Night in the villa garden, lamps hidden in the hedges.",
            ),
        ],
        "quote": {
            "quote": (
                "Three jobs on one film: the video unit, the backstage stills and the scene "
                "photographs."
            ),
            "attribution": "Set diary, week one",
        },
        "text": (
            "<p>The film I followed in every role I do: backstage video, backstage stills and "
            "the scene photographs used for the poster and the press. Ten weeks on the lake "
            "with a crew of about two hundred.</p>"
        ),
    },
]
