<?php
/**
 * Switch a WordPress test site's theme through WordPress's own API (what `wp theme
 * activate` does): MPCRAWL_WP_DB, MPCRAWL_WP_SOCKET, MPCRAWL_WP_HOME in the environment,
 *
 *   php wp_theme.php DOCROOT THEME
 */
if ( 'cli' !== PHP_SAPI ) {
	exit( 1 );
}
list( , $mpcrawl_root, $mpcrawl_theme ) = $argv;
$_SERVER['HTTP_HOST']       = '127.0.0.1';
$_SERVER['REQUEST_URI']     = '/';
$_SERVER['REQUEST_METHOD']  = 'GET';
$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';
require $mpcrawl_root . '/wp-load.php';
switch_theme( $mpcrawl_theme );
echo get_stylesheet(), "\n";
