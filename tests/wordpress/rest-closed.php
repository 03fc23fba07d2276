<?php
/**
 * Plugin Name: mpcrawl closed REST API
 * Description: Installed by tests/wordpress/wpserver.py as wp-content/mu-plugins/mpcrawl-rest-closed.php.
 *
 * Does nothing unless the `php -S` process of a site has MPCRAWL_WP_REST set, as
 * `WordPress.fork(name, rest=...)` does:
 *
 * - `closed`: what security plugins do to anonymous readers of the REST API
 *   (rest_authentication_errors answers 401 rest_not_logged_in);
 * - `hidden`: closed, and the API's Link header, <link> tags and oEmbed discovery links
 *   are removed, and /wp-json/ and ?rest_route= answer 404.
 *
 * - `closed-core`: closed, and nothing else: the core sitemaps carry no <lastmod>.
 *
 * `closed` and `hidden` add <lastmod> (the post's modified time, GMT) to the core sitemaps,
 * as SEO and sitemap plugins do through the wp_sitemaps_posts_entry filter; WordPress 6.1
 * core writes no lastmod.
 */

$mpcrawl_rest = getenv( 'MPCRAWL_WP_REST' );

if ( in_array( $mpcrawl_rest, array( 'closed', 'hidden', 'closed-core' ), true ) ) {
	add_filter(
		'rest_authentication_errors',
		static function ( $result ) {
			if ( ! empty( $result ) || is_user_logged_in() ) {
				return $result;
			}
			return new WP_Error( 'rest_not_logged_in', 'You are not currently logged in.', array( 'status' => 401 ) );
		},
		99
	);
}

if ( 'closed' === $mpcrawl_rest || 'hidden' === $mpcrawl_rest ) {
	add_filter(
		'wp_sitemaps_posts_entry',
		static function ( $entry, $post ) {
			$entry['lastmod'] = get_post_modified_time( 'Y-m-d\TH:i:s\Z', true, $post );
			return $entry;
		},
		10,
		2
	);
}

if ( 'hidden' === $mpcrawl_rest ) {
	remove_action( 'wp_head', 'rest_output_link_wp_head', 10 );
	remove_action( 'template_redirect', 'rest_output_link_header', 11 );
	remove_action( 'wp_head', 'wp_oembed_add_discovery_links' );
	add_action(
		'parse_request',
		static function () {
			$path = (string) parse_url( $_SERVER['REQUEST_URI'] ?? '', PHP_URL_PATH );
			if ( 0 === strpos( $path, '/wp-json' ) || isset( $_GET['rest_route'] ) ) {
				status_header( 404 );
				nocache_headers();
				header( 'Content-Type: text/html; charset=UTF-8' );
				echo '<!doctype html><title>Page not found</title><h1>Not Found</h1>';
				exit;
			}
		},
		0
	);
}
