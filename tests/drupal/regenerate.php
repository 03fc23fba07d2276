<?php
/**
 * Regenerate the xmlsitemap module's sitemap for the URL a session serves the site at
 * (the module writes absolute URLs into its files): `php regenerate.php DOCROOT URL`,
 * with MPCRAWL_DRUPAL_DB / MPCRAWL_DRUPAL_FILES of that session's copy.
 */
list(, $docroot, $url) = $argv;
define('DRUPAL_ROOT', realpath($docroot));
chdir(DRUPAL_ROOT);
$parts = parse_url($url);
$_SERVER['HTTP_HOST'] = $parts['host'] . ':' . $parts['port'];
$_SERVER['REMOTE_ADDR'] = '127.0.0.1';
$_SERVER['REQUEST_METHOD'] = 'GET';
$_SERVER['SCRIPT_NAME'] = '/index.php';
$_SERVER['REQUEST_URI'] = '/';
$base_url = $url;
require_once DRUPAL_ROOT . '/includes/bootstrap.inc';
drupal_bootstrap(DRUPAL_BOOTSTRAP_FULL);
variable_set('xmlsitemap_base_url', $url);
module_load_include('generate.inc', 'xmlsitemap');
xmlsitemap_run_unprogressive_batch('xmlsitemap_regenerate_batch');
