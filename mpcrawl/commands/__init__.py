"""mpcrawl's Scrapy commands (``COMMANDS_MODULE``).

cdxj-indexer (WARC indexes, the WACZ) imports pyamf, which imports setuptools' deprecated
``pkg_resources``: its warning would be printed above a command's own one-line message.
"""

import warnings

warnings.filterwarnings("ignore", message="pkg_resources is deprecated", category=UserWarning)
