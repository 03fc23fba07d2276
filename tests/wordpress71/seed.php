<?php
/**
 * Install WordPress 7.1 and seed POSTS posts (default 300) on its default theme
 * (twentytwentyfive): `php seed.php DOCROOT MANIFEST [POSTS]` with MPCRAWL_WP_DB,
 * MPCRAWL_WP_SOCKET, MPCRAWL_WP_HOME.
 * Deterministic: post dates spread over three years (to the second, Europe/London),
 * block-markup paragraphs. MANIFEST gets every post's id, path, date_gmt and content.
 */
if ( 'cli' !== PHP_SAPI ) {
	exit( 1 );
}
list( , $mpcrawl_root, $mpcrawl_manifest ) = $argv;
$mpcrawl_posts = isset( $argv[3] ) ? (int) $argv[3] : 300;
$_SERVER['HTTP_HOST']       = 'wp71-seed.invalid';
$_SERVER['SERVER_NAME']     = 'wp71-seed.invalid';
$_SERVER['REQUEST_URI']     = '/';
$_SERVER['REQUEST_METHOD']  = 'GET';
$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';
define( 'WP_INSTALLING', true );
require $mpcrawl_root . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';

$result = wp_install( 'Jane Example MP', 'admin', 'admin@example.org', true, '', wp_slash( 'mpcrawl-admin-password' ) );
if ( empty( $result['user_id'] ) ) {
	fwrite( STDERR, "wp_install failed\n" );
	exit( 1 );
}
update_option( 'timezone_string', 'Europe/London' );
update_option( 'gmt_offset', '' );
update_option( 'permalink_structure', '/%postname%/' );
update_option( 'default_comment_status', 'closed' );
update_option( 'fresh_site', 0 );
switch_theme( 'twentytwentyfive' );
foreach ( get_posts( array( 'post_type' => 'any', 'post_status' => 'any', 'numberposts' => -1 ) ) as $p ) {
	wp_delete_post( $p->ID, true );
}

$start = gmmktime( 9, 15, 0, 1, 4, 2023 );
$posts = array();
for ( $i = 0; $i < $mpcrawl_posts; $i++ ) {
	$gmt     = $start + intdiv( $i * ( 3 * 365 - 20 ) * 86400, max( 1, $mpcrawl_posts - 1 ) ) + ( $i * 3607 ) % 36000 + ( $i * 17 ) % 60;
	$date    = gmdate( 'Y-m-d H:i:s', $gmt );
	$place   = array( 'Maldon', 'Heybridge', 'Tiptree', 'Danbury', 'Burnham-on-Crouch' )[ $i % 5 ];
	$content = "<!-- wp:paragraph -->\n<p>Jane Example MP visited $place on business number $i.</p>\n<!-- /wp:paragraph -->\n\n"
		. "<!-- wp:paragraph -->\n<p>She thanked the people of $place for their letters.</p>\n<!-- /wp:paragraph -->";
	$id      = wp_insert_post(
		array(
			'post_title'    => "Jane Example in $place ($i)",
			'post_content'  => $content,
			'post_status'   => 'publish',
			'post_date_gmt' => $date,
			'post_date'     => get_date_from_gmt( $date ),
			'post_author'   => 1,
		),
		true
	);
	if ( is_wp_error( $id ) ) {
		fwrite( STDERR, $id->get_error_message() . "\n" );
		exit( 1 );
	}
	$posts[] = array(
		'id'       => $id,
		'path'     => wp_parse_url( get_permalink( $id ), PHP_URL_PATH ),
		'date_gmt' => gmdate( 'Y-m-d\TH:i:s\Z', $gmt ),
		'content'  => $content,
	);
}
file_put_contents( $mpcrawl_manifest, wp_json_encode( array( 'wp_version' => get_bloginfo( 'version' ), 'posts' => $posts ), JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES ) . "\n" );
