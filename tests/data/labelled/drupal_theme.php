<?php
/**
 * Switch a Drupal 7 test site's front-end theme (and its medium date format) through
 * Drupal's own API, as an administrator's Appearance page does, without drush:
 *
 *   MPCRAWL_DRUPAL_DB=/x/site.sqlite MPCRAWL_DRUPAL_FILES=/x/files \
 *     php drupal_theme.php DOCROOT THEME [DATE_FORMAT [RDF]]
 *
 * DATE_FORMAT (a PHP date() format, e.g. 'd/m/Y - H:i') sets `date_format_medium`, the
 * format of the "Submitted by … on …" line; empty restores the site's default. RDF `off`
 * disables the rdf module (a site installed with the `minimal` profile has none: no
 * `dc:created` attribute), anything else enables it.
 */
list(, $docroot, $theme) = $argv;
$format = isset($argv[3]) ? $argv[3] : '';
$rdf = isset($argv[4]) ? $argv[4] : 'on';
define('DRUPAL_ROOT', realpath($docroot));
chdir(DRUPAL_ROOT);
$_SERVER['HTTP_HOST'] = '127.0.0.1';
$_SERVER['REMOTE_ADDR'] = '127.0.0.1';
$_SERVER['REQUEST_METHOD'] = 'GET';
$_SERVER['SCRIPT_NAME'] = '/index.php';
$_SERVER['REQUEST_URI'] = '/';
require_once DRUPAL_ROOT . '/includes/bootstrap.inc';
drupal_bootstrap(DRUPAL_BOOTSTRAP_FULL);
if ($rdf === 'off') {
  module_disable(array('rdf'));
}
else {
  module_enable(array('rdf'));
}
theme_enable(array($theme));
variable_set('theme_default', $theme);
if ($format !== '') {
  variable_set('date_format_medium', $format);
}
else {
  variable_del('date_format_medium');
}
drupal_theme_rebuild();
cache_clear_all();
echo variable_get('theme_default'), "\n";
