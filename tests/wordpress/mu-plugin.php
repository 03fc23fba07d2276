<?php
/**
 * Plugin Name: mpcrawl test site
 * Description: Installed by tests/wordpress/wpserver.py as wp-content/mu-plugins/mpcrawl-test-site.php.
 *
 * - no mail: there is no sendmail (wp_install() mails the admin), so wp_mail() is stubbed;
 * - no outbound HTTP at all: every request through the WordPress HTTP API is refused
 *   before any connection or DNS lookup (oEmbed discovery, update checks, loopbacks).
 */

if ( ! function_exists( 'wp_mail' ) ) {
	function wp_mail( $to, $subject, $message, $headers = '', $attachments = array() ) {
		return true;
	}
}

add_filter(
	'pre_http_request',
	static function ( $preempt, $args, $url ) {
		return new WP_Error( 'http_request_failed', 'mpcrawl test site: outbound HTTP is disabled (' . $url . ')' );
	},
	1,
	3
);
