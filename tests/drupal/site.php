<?php
/**
 * Install and seed a Drupal 7 test site through Drupal's own API (run by drupalserver.py):
 *
 *   MPCRAWL_DRUPAL_DB=/x/site.sqlite MPCRAWL_DRUPAL_FILES=sites/default/files/x \
 *     php site.php DOCROOT VARIANT MANIFEST [NODES]
 *
 * VARIANT `core` (RSS feed, no sitemap) or `xmlsitemap` (the contrib module enabled for
 * articles, its sitemap generated). install_drupal() runs the `standard` profile
 * non-interactively (what `drush site-install` does), then node_save() writes 300
 * published and 5 unpublished articles, deterministic: created times spread over three
 * years (to the second), 12 with a YouTube iframe, 12 with a three-turn Commons exchange,
 * aliases news/SLUG with pathauto's -0 suffix for a repeated title, tags. MANIFEST gets
 * every node's id, alias, created time (UTC), status, body and what it holds.
 */
list(, $docroot, $variant, $manifest_path) = $argv;
// NODES (default 305): a smaller site, seeded by the same rules, for the tests that change it
$count = isset($argv[4]) ? (int) $argv[4] : 305;
define('DRUPAL_ROOT', realpath($docroot));
chdir(DRUPAL_ROOT);
$_SERVER['HTTP_HOST'] = 'drupal-seed.invalid';
$_SERVER['REMOTE_ADDR'] = '127.0.0.1';
$_SERVER['REQUEST_METHOD'] = 'GET';
$_SERVER['SCRIPT_NAME'] = '/install.php';
$_SERVER['SERVER_SOFTWARE'] = 'mpcrawl-tests';
$_SERVER['REQUEST_URI'] = '/';
$base_url = 'http://drupal-seed.invalid';

define('MAINTENANCE_MODE', 'install');
require_once DRUPAL_ROOT . '/includes/install.core.inc';
install_drupal(array(
  'parameters' => array('profile' => 'standard', 'locale' => 'en'),
  'forms' => array(
    'install_configure_form' => array(
      'site_name' => 'Jane Example MP',
      'site_mail' => 'office@drupal-seed.invalid',
      'account' => array(
        'name' => 'admin',
        'mail' => 'admin@drupal-seed.invalid',
        'pass' => array('pass1' => 'mpcrawl-admin', 'pass2' => 'mpcrawl-admin'),
      ),
      'site_default_country' => 'GB',
      'date_default_timezone' => 'Europe/London',
      'clean_url' => 1,
      'update_status_module' => array(),
    ),
  ),
));

drupal_bootstrap(DRUPAL_BOOTSTRAP_FULL);
$GLOBALS['user'] = user_load(1);
if ($variant === 'xmlsitemap') {
  module_enable(array('xmlsitemap', 'xmlsitemap_node'));
  xmlsitemap_link_bundle_settings_save('node', 'article', array('status' => 1, 'priority' => 0.5));
}

$vocabulary = taxonomy_vocabulary_machine_name_load('tags');
$tids = array();
foreach (array('Housing', 'NHS', 'Transport', 'Schools', 'Parliament') as $name) {
  $term = (object) array('vid' => $vocabulary->vid, 'name' => $name, 'format' => 'filtered_html');
  taxonomy_term_save($term);
  $tids[$name] = (int) $term->tid;
}

$places = array('Maldon', 'Heybridge', 'Burnham-on-Crouch', 'Tollesbury', 'Southminster', 'Danbury',
  'Woodham Ferrers', 'Tiptree', 'Great Totham', 'Latchingdon', 'Mayland', 'Purleigh');
$topics = array(
  array('Housing', 'new homes', 'welcomes plans for %d new homes in %s'),
  array('NHS', 'the surgery', 'visits the GP surgery in %2$s after %1$d complaints'),
  array('Transport', 'the bus route', 'calls for bus route %d to serve %s again'),
  array('Schools', 'the primary school', 'congratulates %2$s school on %1$d years'),
  array('Parliament', 'the debate', 'raises %2$s in debate on clause %1$d'),
);
$exchanges = array(
  array('Sir John Whittingdale (Maldon) (Con)', 'The Prime Minister', 'Mr Speaker'),
  array('Dame Priti Patel (Witham) (Con)', 'The Secretary of State for Transport', 'Madam Deputy Speaker'),
  array('Kemi Badenoch (North West Essex) (Con)', 'The Prime Minister', 'Mr Speaker'),
);
$videos = array('dQw4w9WgXcQ', 'M7lc1UVf-VE', 'aqz-KE-bpKQ', 'jNQXAC9IVRw', 'ScMzIvxBSi4', 'kJQP7kiw5Fk',
  'OPf0YbXqDm0', '9bZkp7q19f0', 'fJ9rUzIMcZQ', 'hT_nvWreIhg', 'CevxZvSJLk8', 'RgKAFK5djSk');

$start = gmmktime(8, 0, 0, 1, 3, 2023);  // the first article, 3 Jan 2023 08:00 UTC
$span = 3 * 365 * 86400 - 20 * 86400;
$aliases = array();
$nodes = array();
$n_video = 0;
$n_exchange = 0;
for ($i = 0; $i < $count; $i++) {
  $published = $i % 61 != 30;  // 5 of 305 unpublished
  list($tag, $thing, $pattern) = $topics[$i % count($topics)];
  $place = $places[($i * 7) % count($places)];
  $number = 3 + ($i * 13) % 90;
  if ($i % 25 == 24) {  // a title used again: its alias gets pathauto's -0
    $previous = $nodes[$i - 1];
    $title = $previous['title'];
  }
  else {
    $title = 'Jane Example ' . sprintf($pattern, $number, $place);
  }
  $created = $start + intdiv($i * $span, max(1, $count - 1)) + ($i * 3607) % 36000 + ($i * 17) % 60;
  $paragraphs = array(
    "<p>Jane Example MP has spoken about $thing in $place. Residents wrote to her $number times this year, and she replied to every letter.</p>",
    "<p>She said: “This matters to families across $place, and I will keep pressing the council and ministers until it is put right.”</p>",
  );
  $video = NULL;
  $turns = 0;
  if ($i % 25 == 3 && $n_video < 12) {
    $video = $videos[$n_video++];
    $paragraphs[] = "<p>Watch her speech:</p>\n<p><iframe width=\"560\" height=\"315\" src=\"https://www.youtube.com/embed/$video\" title=\"YouTube video player\" frameborder=\"0\" allowfullscreen></iframe></p>";
  }
  if ($i % 25 == 11 && $n_exchange < 12) {
    list($member, $minister, $chair) = $exchanges[$n_exchange % count($exchanges)];
    $n_exchange++;
    $paragraphs[] = "<p>From Hansard:</p>";
    $paragraphs[] = "<p><strong>$member:</strong> What steps the Government are taking to support residents of $place with $thing.</p>";
    $paragraphs[] = "<p><strong>$minister:</strong> I thank my right hon. Friend for her question. We are providing £$number million this year.</p>";
    $paragraphs[] = "<p><strong>$chair:</strong> Order. We must move on.</p>";
    $turns = 3;
  }
  if ($i % 10 == 5) {
    $paragraphs[] = "<ul><li>Surgery in $place: first Friday</li><li>Office: 01621 000$number</li></ul>";
  }
  if ($i % 20 == 7) {
    $paragraphs[] = "<table><tr><th>Year</th><th>Homes</th></tr><tr><td>2024</td><td>$number</td></tr></table>";
  }
  $paragraphs[] = "<p>Anyone affected can contact her office in $place.</p>";
  $body = implode("\n", $paragraphs);

  $slug = trim(preg_replace('/[^a-z0-9]+/', '-', strtolower($title)), '-');
  $alias = "news/$slug";
  for ($k = 0; isset($aliases[$alias]); $k++) {
    $alias = "news/$slug-$k";
  }
  $aliases[$alias] = TRUE;

  $node = new stdClass();
  $node->type = 'article';
  node_object_prepare($node);
  $node->title = $title;
  $node->language = LANGUAGE_NONE;
  $node->uid = 1;
  $node->status = $published ? 1 : 0;
  $node->promote = 1;
  $node->created = $created;
  $node->changed = $created;
  $node->body[LANGUAGE_NONE][0] = array('value' => $body, 'format' => 'full_html');
  $node->field_tags[LANGUAGE_NONE][0] = array('tid' => $tids[$tag]);
  $node->path = array('alias' => $alias, 'pathauto' => FALSE);
  node_save($node);
  // node_save() stamps `changed` with the request time: the seed's own, as an editor's.
  db_update('node')->fields(array('changed' => $created))->condition('nid', $node->nid)->execute();
  db_update('node_revision')->fields(array('timestamp' => $created))->condition('nid', $node->nid)->execute();
  $nodes[] = array(
    'nid' => (int) $node->nid,
    'title' => $title,
    'alias' => $alias,
    'created' => gmdate('Y-m-d\TH:i:s\Z', $created),
    'status' => $published ? 1 : 0,
    'tag' => $tag,
    'video' => $video,
    'turns' => $turns,
    'body' => $body,
  );
}

if ($variant === 'xmlsitemap') {
  // The module's own rebuild (admin/config/search/xmlsitemap/rebuild): a link per node,
  // lastmod = the node's `changed`, then the sitemap files.
  entity_get_controller('node')->resetCache();
  drupal_static_reset('xmlsitemap_node_get_timestamps');
  module_load_include('generate.inc', 'xmlsitemap');
  xmlsitemap_run_unprogressive_batch('xmlsitemap_rebuild_batch', array('node'), FALSE);
}
cache_clear_all();

file_put_contents($manifest_path, json_encode(array(
  'variant' => $variant,
  'drupal' => VERSION,
  'timezone' => 'Europe/London',
  'terms' => $tids,
  'nodes' => $nodes,
), JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE) . "\n");
