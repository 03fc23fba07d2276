<?php
/**
 * Router for `php -S 127.0.0.1:PORT -t DOCROOT router.php`: what WordPress's .htaccess
 * does under Apache. Existing files (static files and .php scripts such as wp-login.php)
 * are served by the built-in server; everything else goes to index.php, so pretty
 * permalinks and /wp-json/ work. With plain permalinks WordPress itself ignores the path.
 */
$mpcrawl_root = realpath( $_SERVER['DOCUMENT_ROOT'] );
$mpcrawl_path = rawurldecode( (string) parse_url( $_SERVER['REQUEST_URI'], PHP_URL_PATH ) );
$mpcrawl_file = realpath( $mpcrawl_root . $mpcrawl_path );

if ( false !== $mpcrawl_file && 0 === strpos( $mpcrawl_file, $mpcrawl_root ) ) {
	if ( is_file( $mpcrawl_file ) ) {
		return false;
	}
	if ( is_dir( $mpcrawl_file ) && is_file( $mpcrawl_file . '/index.php' ) && '/' === substr( $mpcrawl_path, -1 ) ) {
		return false;
	}
}

unset( $_SERVER['PATH_INFO'], $_SERVER['ORIG_PATH_INFO'] );
$_SERVER['SCRIPT_NAME']     = '/index.php';
$_SERVER['PHP_SELF']        = '/index.php';
$_SERVER['SCRIPT_FILENAME'] = $mpcrawl_root . '/index.php';
chdir( $mpcrawl_root );
require $mpcrawl_root . '/index.php';
