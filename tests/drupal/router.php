<?php
/**
 * Router for `php -S 127.0.0.1:PORT -t DOCROOT router.php`: what Drupal 7's .htaccess does
 * under Apache. An existing file is served by the built-in server; every other path goes
 * to index.php as ?q=PATH (clean URLs), the query string (?page=N) kept.
 */
$mpcrawl_root = realpath( $_SERVER['DOCUMENT_ROOT'] );
$mpcrawl_path = rawurldecode( (string) parse_url( $_SERVER['REQUEST_URI'], PHP_URL_PATH ) );
$mpcrawl_file = realpath( $mpcrawl_root . $mpcrawl_path );

if ( '/' !== $mpcrawl_path && false !== $mpcrawl_file && 0 === strpos( $mpcrawl_file, $mpcrawl_root ) && is_file( $mpcrawl_file ) ) {
	return false;
}
$_GET['q']                  = trim( $mpcrawl_path, '/' );
$_SERVER['SCRIPT_NAME']     = '/index.php';
$_SERVER['PHP_SELF']        = '/index.php';
$_SERVER['SCRIPT_FILENAME'] = $mpcrawl_root . '/index.php';
chdir( $mpcrawl_root );
require $mpcrawl_root . '/index.php';
