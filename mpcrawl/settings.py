"""Scrapy settings for mpcrawl: polite, safe defaults for unattended runs."""

from scrapy.settings import default_settings as scrapy_defaults

from mpcrawl import __version__, defaults


def user_agent(contact_url: str) -> str:
    """The crawl's User-Agent: the project, its version and its contact."""
    return f"mpcrawl/{__version__} (+{contact_url})"


BOT_NAME = "mpcrawl"
SPIDER_MODULES = ["mpcrawl.spiders"]
NEWSPIDER_MODULE = "mpcrawl.spiders"
COMMANDS_MODULE = "mpcrawl.commands"

# --- mpcrawl's own settings (see the README's settings table) ---
MPCRAWL_ARCHIVE = defaults.ARCHIVE
MPCRAWL_NETRC = None
MPCRAWL_CONTACT_URL = "https://github.com/mpcrawl/mpcrawl"
MPCRAWL_BATCH_ROWS = defaults.BATCH_ROWS
MPCRAWL_FILE_ROWS = defaults.FILE_ROWS
MPCRAWL_RETRY_AFTER_MAX = 120
MPCRAWL_RETRY_BACKOFF = 1.0
MPCRAWL_PROGRESS_INTERVAL = 60
MPCRAWL_TIMEOUT_PER_PAGE_FALLBACK = [50, 20]
# seconds; a lock on object storage older than this is taken over
MPCRAWL_LOCK_STALE_AFTER = defaults.LOCK_STALE_AFTER
MPCRAWL_RUN_ID = None  # default: <UTC time>-<host>-<pid>
# Bounds on what one site may cost (README: "Bounds on one site"). A site past one ends
# `partial` with the setting's name in its reason; the archive keeps what was fetched.
MPCRAWL_MAX_PAGES = 10_000  # pages per collection walk (1,000,000 posts at 100 a page)
MPCRAWL_PAGES_IN_FLIGHT = 4  # pages of one walk scheduled at a time
MPCRAWL_SITE_MAX_REQUESTS = 50_000  # requests per site per run, robots.txt and retries included
MPCRAWL_SITE_MAX_SECONDS = defaults.LOCK_STALE_AFTER  # seconds per site per run
# Where no complete sitemap lists a site, its listings are crawled from the home page: at
# most this many listing pages, this many hops deep, for this long (docs/crawling.md)
MPCRAWL_LISTING_PAGES = defaults.LISTING_PAGES  # 0: the home page's links only
MPCRAWL_LISTING_DEPTH = defaults.LISTING_DEPTH
MPCRAWL_LISTING_SECONDS = defaults.LISTING_SECONDS
MPCRAWL_SITEMAP_MAX_URLS = defaults.SITEMAP_MAX_URLS  # page URLs a site's sitemaps may list
# part files one partition folder of a site may hold before the end of the site's run
# merges its small ones; 0: never (then only `scrapy compact` merges)
MPCRAWL_COMPACT_AFTER = 4
# seconds: a site's robots.txt Crawl-delay is obeyed up to this (docs/crawling.md); 0: never
MPCRAWL_MAX_CRAWL_DELAY = defaults.MAX_CRAWL_DELAY
# Fallback path: feed pages read for dates, and the walk over numbered pages (/node/N, ?p=N)
MPCRAWL_FEED_PAGES = defaults.FEED_PAGES
MPCRAWL_ID_WALK_MAX = defaults.ID_WALK_MAX
MPCRAWL_ID_WALK_MISSES = defaults.ID_WALK_MISSES
# Fallback path, a site with no lastmod or validators: pages whose listing entry did not
# change are left unread, each re-read at least once in this many days (docs/crawling.md)
MPCRAWL_RECHECK_DAYS = defaults.RECHECK_DAYS  # 0: every page every night
# Evidence (docs/evidence.md): every request and response as WARC/1.1 in
# <archive>/warc/site=<site>/, files closed and published from this size on. Off by default:
# measured, it costs ~1.3x the crawl time on a fast local site and as many bytes as the
# Parquet archive on a first crawl (docs/benchmarks.md)
MPCRAWL_WARC = False
MPCRAWL_WARC_FILE_BYTES = 1_000_000_000
# Pages as they looked (docs/evidence.md): each new version's page and the requisites on the
# site's hosts it loads, into the WARC (needs MPCRAWL_WARC). Off by default: measured on
# the test WordPress, a first crawl's WARC bytes ~35x (a page per post, ~17 KB compressed,
# beside ~500 B of JSON); a no-change night captures nothing. At most
# MPCRAWL_CAPTURE_REQUISITES per page and MPCRAWL_CAPTURE_MAX capture requests (pages and
# requisites) per site per run.
MPCRAWL_CAPTURE_PAGES = False
MPCRAWL_CAPTURE_REQUISITES = 60
MPCRAWL_CAPTURE_MAX = 2_000
# `scrapy report` links each post to its newest page capture: at this pywb-style replay
# collection (`<URL>/<timestamp>/<page>`, e.g. http://localhost:8080/mpcrawl/) where set,
# else it names the capture's WARC file and offset (docs/evidence.md)
MPCRAWL_REPLAY_URL = ""

# The crawl sends "mpcrawl/<version> (+MPCRAWL_CONTACT_URL)" unless USER_AGENT is set.
USER_AGENT = user_agent(MPCRAWL_CONTACT_URL)

# --- politeness ---
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0
AUTOTHROTTLE_ENABLED = True
# Scrapy's 5 s start delay costs ~10 s on a site of a few pages; small hosts answer
# a page of 100 posts in ~0.1-0.5 s, so start at 0.5 s and let latency steer.
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_MAX_DELAY = 30
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 60
DOWNLOAD_MAXSIZE = 64 * 1024 * 1024
DOWNLOAD_WARNSIZE = 16 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
COOKIES_ENABLED = False
REDIRECT_MAX_TIMES = 5

# --- safety: nothing listens, nothing runs code sent to it ---
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
# Left out of Scrapy's base list, not set to None in EXTENSIONS: Scrapy imports every key of
# EXTENSIONS (a None one too) to match it with the base list, and the remote control's
# module loads aiohttp's web server (~0.2 s of every start-up).
EXTENSIONS_BASE = {
    path: order
    for path, order in scrapy_defaults.EXTENSIONS_BASE.items()
    if path.rsplit(".", 1)[1] not in {"TelnetConsole", "RemoteControl"}
}
# The ledger owns every site's run, lock and archive files; the other components find
# it with crawler.get_extension. ProgressLog runs after it (a higher number).
EXTENSIONS = {
    "mpcrawl.ledger.SiteLedger": 100,
    "mpcrawl.extensions.ProgressLog": 500,
    "mpcrawl.robotstxt.RobotsArchive": 600,  # each site's robots.txt into `robots`
}

DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "mpcrawl.middlewares.RestRobotsTxtMiddleware": 100,
    "mpcrawl.middlewares.SiteHostMiddleware": 90,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "mpcrawl.middlewares.RetryAfterMiddleware": 550,
    "mpcrawl.middlewares.SiteAccountingMiddleware": 950,
    # next to the downloader: sees the raw response before HttpCompressionMiddleware (590)
    # decodes it, and the request with every header the middlewares above added
    "mpcrawl.capture.WarcRecorderMiddleware": 960,
}

SPIDER_MIDDLEWARES = {"mpcrawl.capture.WarcStampMiddleware": 950}

ITEM_PIPELINES = {
    "mpcrawl.pipelines.normalise.NormalisePipeline": 100,
    "mpcrawl.pipelines.dedupe.DedupePipeline": 200,
    "mpcrawl.pipelines.extract.ExtractPipeline": 300,
    "mpcrawl.pipelines.archive.ArchivePipeline": 900,
    "mpcrawl.pipelines.capture.CapturePipeline": 950,  # MPCRAWL_CAPTURE_PAGES only
}

FEED_EXPORTERS = {"parquet": "mpcrawl.exporters.ParquetItemExporter"}
FEED_EXPORT_ENCODING = "utf-8"

LOG_LEVEL = "INFO"
LOG_FORMATTER = "mpcrawl.logformatter.QuietLogFormatter"
# Versions already archived are dropped on every run: routine, not a warning.
DEFAULT_DROPITEM_LOG_LEVEL = "DEBUG"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
# Requests that must wait (Retry-After, backoff) wait in the scheduler, not in a download slot.
SCHEDULER = "mpcrawl.scheduler.WaitingScheduler"
