<?php
/**
 * settings.php of the test sites (written by tests/drupal/drupalserver.py): one docroot
 * serves every site; the SQLite database and the public files folder come from the
 * environment of the `php -S` process (or of site.php).
 */
$databases['default']['default'] = array(
  'driver' => 'sqlite',
  'database' => getenv('MPCRAWL_DRUPAL_DB'),
  'prefix' => '',
);
$drupal_hash_salt = 'mpcrawl-tests-drupal';
$update_free_access = FALSE;
$conf['file_public_path'] = getenv('MPCRAWL_DRUPAL_FILES');
// No cron on page views (it would regenerate the sitemap while a test crawls), no
// outbound HTTP.
$conf['cron_safe_threshold'] = 0;
$conf['drupal_http_request_fails'] = TRUE;
$conf['update_check_disabled'] = TRUE;
