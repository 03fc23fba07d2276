<?php
/**
 * Regenerate the xmlsitemap module's sitemap for the URL a session serves the site at
 * (the module writes absolute URLs into its files): `php regenerate.php DOCROOT URL`,
 * with MPCRAWL_DRUPAL_DB / MPCRAWL_DRUPAL_FILES of that session's copy.
 *
 * `php regenerate.php DOCROOT URL ACTION NID [TEXT]` first changes node NID through
 * Drupal's API, as an editor's form would: `edit` puts the paragraph TEXT at the top of
 * its body (node_save: a new `changed`, a new teaser), `unpublish` sets its status to 0
 * (node_save), `delete` deletes it (node_delete). Where the xmlsitemap module is enabled,
 * what its cron does next follows: the node's queued link is processed (access and
 * lastmod), then the sitemap files are written again. Prints the node's body as JSON.
 */
$docroot = $argv[1];
$url = $argv[2];
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

$changed = NULL;
if (isset($argv[3])) {
  $GLOBALS['user'] = user_load(1);
  $action = $argv[3];
  $nid = (int) $argv[4];
  $node = node_load($nid);
  if (!$node) {
    fwrite(STDERR, "no node $nid\n");
    exit(1);
  }
  if ($action === 'edit') {
    $body = '<p>' . check_plain($argv[5]) . "</p>\n" . $node->body[LANGUAGE_NONE][0]['value'];
    $node->body[LANGUAGE_NONE][0]['value'] = $body;
    node_save($node);
  }
  elseif ($action === 'unpublish') {
    $node->status = NODE_NOT_PUBLISHED;
    node_save($node);
  }
  elseif ($action === 'delete') {
    node_delete($nid);
  }
  else {
    fwrite(STDERR, "unknown action $action\n");
    exit(1);
  }
  $changed = array('nid' => $nid, 'action' => $action, 'body' => $node->body[LANGUAGE_NONE][0]['value']);
}

if (module_exists('xmlsitemap')) {
  variable_set('xmlsitemap_base_url', $url);
  if ($changed !== NULL) {
    // The module's cron: the links queued by hook_node_update() get their access and
    // lastmod (until then an updated node's link is left out of the sitemap).
    $queue = DrupalQueue::get('xmlsitemap_node');
    for ($run = 0; $run < 10 && $queue->numberOfItems(); $run++) {
      module_invoke('xmlsitemap_node', 'cron');
    }
  }
  module_load_include('generate.inc', 'xmlsitemap');
  xmlsitemap_run_unprogressive_batch('xmlsitemap_regenerate_batch');
}
if ($changed !== NULL) {
  print json_encode($changed) . "\n";
}
