<?php
/**
 * Seed a WordPress database for the mpcrawl test suite (there is no wp-cli here).
 *
 *   php seed.php install --docroot=DIR
 *   php seed.php content --docroot=DIR --posts=N --manifest=FILE --seed-json=FILE
 *
 * wp-config.php picks the database and home URL from MPCRAWL_WP_DB / MPCRAWL_WP_HOME
 * (wpserver.py sets them). Everything is deterministic: fixed mt_rand seed, fixed dates,
 * fixed passwords (the application password too); the few timestamps WordPress takes
 * from the clock (modified dates of edited posts, revisions, users) are pinned at the end.
 *
 * Behaviour this relies on (WordPress 6.1, read from the sources):
 * - wp_install() mails the admin: wp_mail is stubbed by the mu-plugin.
 * - wp_insert_post() runs KSES (strips <iframe>) unless the current user has
 *   unfiltered_html: we act as the administrator.
 * - revisions are saved on 'post_updated' only (not on insert): N content changes = N revisions.
 * - WP_Embed::shortcode() serves post meta `_oembed_` . md5( $url . serialize( $attr ) ), with
 *   $attr = wp_parse_args( array(), wp_embed_defaults( $url ) ) for an autoembedded URL, and
 *   always uses the cache when present ($usecache is true outside the editor's Ajax call).
 */

if ( 'cli' !== PHP_SAPI ) {
	exit( 1 );
}

$mpcrawl_phase = $argv[1] ?? '';
$mpcrawl_opts  = array();
foreach ( array_slice( $argv, 2 ) as $mpcrawl_arg ) {
	if ( preg_match( '/^--([a-z-]+)=(.*)$/s', $mpcrawl_arg, $mpcrawl_m ) ) {
		$mpcrawl_opts[ $mpcrawl_m[1] ] = $mpcrawl_m[2];
	}
}
$mpcrawl_root  = rtrim( $mpcrawl_opts['docroot'] ?? '', '/' );
if ( ! in_array( $mpcrawl_phase, array( 'install', 'content' ), true ) || ! $mpcrawl_root ) {
	fwrite( STDERR, "usage: php seed.php install|content --docroot=DIR [--posts=N --manifest=FILE --seed-json=FILE]\n" );
	exit( 2 );
}

$_SERVER['HTTP_HOST']       = 'wp-seed.invalid';
$_SERVER['SERVER_NAME']     = 'wp-seed.invalid';
$_SERVER['REQUEST_URI']     = '/';
$_SERVER['REQUEST_METHOD']  = 'GET';
$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';

const MPCRAWL_ADMIN_PASSWORD  = 'mpcrawl-admin-password';
const MPCRAWL_EDITOR_PASSWORD = 'mpcrawl-editor-password';
// 24 alphanumerics, like WP_Application_Passwords::PW_LENGTH passwords.
const MPCRAWL_APP_PASSWORD = 'MpcrawlTest0AppPassw0rd1';
const MPCRAWL_TIMEZONE     = 'Europe/London';

function mpcrawl_fail( $message ) {
	fwrite( STDERR, "seed.php: $message\n" );
	exit( 1 );
}

function mpcrawl_check( $result, $what ) {
	if ( is_wp_error( $result ) ) {
		mpcrawl_fail( "$what: " . $result->get_error_message() );
	}
	if ( ! $result ) {
		mpcrawl_fail( "$what failed" );
	}
	return $result;
}

if ( 'install' === $mpcrawl_phase ) {
	define( 'WP_INSTALLING', true );
	require $mpcrawl_root . '/wp-load.php';
	require_once ABSPATH . 'wp-admin/includes/upgrade.php';

	// The permalink test inside wp_install() would make HTTP requests; the mu-plugin
	// refuses them all, and a structure set beforehand skips the test altogether.
	$result = wp_install( 'Test Member of Parliament', 'admin', 'admin@example.org', true, '', wp_slash( MPCRAWL_ADMIN_PASSWORD ) );
	mpcrawl_check( $result['user_id'] ?? 0, 'wp_install' );

	update_option( 'timezone_string', MPCRAWL_TIMEZONE );
	update_option( 'gmt_offset', '' );
	update_option( 'blogdescription', 'Working hard for Testshire' );
	update_option( 'date_format', 'j F Y' );
	update_option( 'posts_per_page', 10 );
	update_option( 'default_comment_status', 'closed' );
	update_option( 'permalink_structure', '/%postname%/' );
	update_option( 'fresh_site', 0 );
	switch_theme( 'twentytwentythree' );

	// Default content (dated "now"): not wanted in a deterministic fixture.
	foreach ( get_posts( array( 'post_type' => 'any', 'post_status' => 'any', 'numberposts' => -1 ) ) as $p ) {
		wp_delete_post( $p->ID, true );
	}
	echo "installed\n";
	exit( 0 );
}

// ---------------------------------------------------------------- content phase
require $mpcrawl_root . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/image.php';

$n_posts   = max( 0, (int) ( $mpcrawl_opts['posts'] ?? 260 ) );
$manifest  = $mpcrawl_opts['manifest'] ?? '';
$seed_json = $mpcrawl_opts['seed-json'] ?? '';
if ( ! $manifest || ! $seed_json ) {
	mpcrawl_fail( 'content needs --manifest and --seed-json' );
}
if ( wp_timezone_string() !== MPCRAWL_TIMEZONE ) {
	mpcrawl_fail( 'run the install phase first' );
}

global $wpdb;
mt_srand( 20240704 );
wp_set_current_user( 1 );
if ( ! current_user_can( 'unfiltered_html' ) ) {
	mpcrawl_fail( 'admin lacks unfiltered_html: <iframe> would be stripped' );
}
wp_defer_term_counting( true );

/** Insert a post; fails loudly. */
function mpcrawl_insert( array $args ) {
	$defaults = array(
		'post_type'      => 'post',
		'post_status'    => 'publish',
		'post_author'    => 1,
		'comment_status' => 'closed',
		'ping_status'    => 'open',
	);
	$id = wp_insert_post( wp_slash( array_merge( $defaults, $args ) ), true );
	mpcrawl_check( $id, 'wp_insert_post ' . ( $args['post_title'] ?? '' ) );
	return (int) $id;
}

/** Change a post's content $n times (each change is one revision). */
function mpcrawl_edit( $id, $n, $final_content = null ) {
	$post = get_post( $id );
	$base = $post->post_content;
	for ( $i = 1; $i <= $n; $i++ ) {
		$content = ( $i === $n && null !== $final_content )
			? $final_content
			: $base . "\n\n<!-- wp:paragraph -->\n<p>Update $i: this post was edited.</p>\n<!-- /wp:paragraph -->";
		mpcrawl_check( wp_update_post( wp_slash( array( 'ID' => $id, 'post_content' => $content ) ), true ), "edit $id" );
	}
}

function mpcrawl_p( $html ) {
	return "<!-- wp:paragraph -->\n<p>$html</p>\n<!-- /wp:paragraph -->";
}

/** The block markup of an oEmbed embed block for $url. */
function mpcrawl_embed_block( $url, $provider, $type = 'video' ) {
	$attrs = wp_json_encode(
		array(
			'url'              => $url,
			'type'             => $type,
			'providerNameSlug' => $provider,
			'responsive'       => true,
			'className'        => 'wp-embed-aspect-16-9 wp-has-aspect-ratio',
		),
		JSON_UNESCAPED_SLASHES
	);
	return "<!-- wp:embed $attrs -->\n"
		. "<figure class=\"wp-block-embed is-type-$type is-provider-$provider wp-block-embed-$provider wp-embed-aspect-16-9 wp-has-aspect-ratio\"><div class=\"wp-block-embed__wrapper\">\n"
		. "$url\n"
		. "</div></figure>\n<!-- /wp:embed -->";
}

/** Seed the oEmbed post meta cache exactly where WP_Embed::shortcode() looks. */
function mpcrawl_cache_oembed( $post_id, $url, $html ) {
	$attr = wp_parse_args( array(), wp_embed_defaults( $url ) );
	$key  = md5( $url . serialize( $attr ) );
	update_post_meta( $post_id, '_oembed_' . $key, wp_slash( $html ) );
	// Far in the future, so WP_Embed never finds the cache stale and re-fetches (offline).
	update_post_meta( $post_id, '_oembed_time_' . $key, 4102444800 ); // 2100-01-01T00:00:00Z
	return $key;
}

function mpcrawl_youtube_iframe( $id, $title ) {
	return '<iframe title="' . esc_attr( $title ) . '" width="500" height="281" src="https://www.youtube.com/embed/'
		. $id . '?feature=oembed" frameborder="0" allow="accelerometer; autoplay; clipboard-write; encrypted-media;'
		. ' gyroscope; picture-in-picture; web-share" referrerpolicy="strict-origin-when-cross-origin" allowfullscreen></iframe>';
}

// ---------------------------------------------------------------- users
mpcrawl_check(
	wp_update_user(
		array(
			'ID'           => 1,
			'display_name' => 'Alex Member MP',
			'first_name'   => 'Alex',
			'last_name'    => 'Member',
			'nickname'     => 'Alex Member MP',
			'user_url'     => 'https://www.parliament.uk/',
			'description'  => 'Member of Parliament for Testshire.',
		)
	),
	'update admin'
);
$editor_id = mpcrawl_check(
	wp_insert_user(
		array(
			'user_login'    => 'editor',
			'user_pass'     => MPCRAWL_EDITOR_PASSWORD,
			'user_email'    => 'editor@example.org',
			'role'          => 'editor',
			'display_name'  => 'Jane Caseworker',
			'first_name'    => 'Jane',
			'last_name'     => 'Caseworker',
			'nickname'      => 'Jane Caseworker',
			'user_nicename' => 'jane-caseworker',
			'description'   => 'Office manager.',
		)
	),
	'insert editor'
);
// Deterministic application password: wp_generate_password() passes through 'random_password'.
$fixed_password = static function () {
	return MPCRAWL_APP_PASSWORD;
};
add_filter( 'random_password', $fixed_password );
$app = mpcrawl_check( WP_Application_Passwords::create_new_application_password( 1, array( 'name' => 'mpcrawl tests' ) ), 'application password' );
remove_filter( 'random_password', $fixed_password );
if ( MPCRAWL_APP_PASSWORD !== $app[0] ) {
	mpcrawl_fail( 'application password not fixed' );
}

// ---------------------------------------------------------------- terms
$categories = array();
foreach (
	array(
		'Speeches'      => 'Speeches in the House of Commons.',
		'News'          => 'News from the constituency and Westminster.',
		'Constituency'  => 'Local matters.',
		'Parliament'    => 'Parliamentary business.',
		'Campaigns'     => 'Campaigns I support.',
	) as $name => $description
) {
	$term                = mpcrawl_check( wp_insert_term( $name, 'category', array( 'description' => $description ) ), "category $name" );
	$categories[ $name ] = (int) $term['term_id'];
}
$term = mpcrawl_check(
	wp_insert_term( 'Written Questions', 'category', array( 'parent' => $categories['Parliament'] ) ),
	'child category'
);
$categories['Written Questions'] = (int) $term['term_id'];
$categories['Uncategorized']     = (int) get_option( 'default_category' );

$tags = array();
foreach ( array( 'NHS', 'Transport', 'Housing', 'Schools', 'Policing', 'Environment', 'Economy', 'Local Business', 'Facial Recognition' ) as $name ) {
	$term          = mpcrawl_check( wp_insert_term( $name, 'post_tag' ), "tag $name" );
	$tags[ $name ] = (int) $term['term_id'];
}

// ---------------------------------------------------------------- featured image
$img = imagecreatetruecolor( 320, 200 );
imagefill( $img, 0, 0, imagecolorallocate( $img, 0, 102, 71 ) );
imagefilledrectangle( $img, 40, 40, 280, 160, imagecolorallocate( $img, 255, 255, 255 ) );
ob_start();
imagepng( $img );
$png = ob_get_clean();
$upload = wp_upload_bits( 'constituency-office.png', null, $png, '2024/06' );
if ( ! empty( $upload['error'] ) ) {
	mpcrawl_fail( 'upload: ' . $upload['error'] );
}
$media_id = mpcrawl_check(
	wp_insert_attachment(
		wp_slash(
			array(
				'post_mime_type' => 'image/png',
				'post_title'     => 'Constituency office',
				'post_excerpt'   => 'The constituency office on the High Street.',
				'post_content'   => '',
				'post_status'    => 'inherit',
				'post_date'      => '2024-06-03 10:15:00',
				'guid'           => $upload['url'],
			)
		),
		$upload['file'],
		0,
		true
	),
	'attachment'
);
update_post_meta( $media_id, '_wp_attachment_image_alt', 'Constituency office' );
wp_update_attachment_metadata( $media_id, wp_generate_attachment_metadata( $media_id, $upload['file'] ) );

// ---------------------------------------------------------------- bulk posts
$words = explode(
	' ',
	'constituency residents council funding school hospital road rail bus station housing plan '
	. 'community police safety business jobs energy climate river flood park library volunteers '
	. 'minister government debate question bill amendment committee report petition survey local '
	. 'services families pensioners students farmers investment broadband transport surgery visit'
);
$speakers = array(
	array( 'Alex Member', 'Conservative, Testshire' ),
	array( 'Sam Shadow', 'Labour, Exampleton North' ),
	array( 'Pat Minister', 'The Minister of State, Department for Transport' ),
	array( 'Robin Bench', 'Liberal Democrat, Sampleford' ),
);

function mpcrawl_sentence( array $words ) {
	$n = mt_rand( 8, 18 );
	$s = array();
	for ( $i = 0; $i < $n; $i++ ) {
		$s[] = $words[ mt_rand( 0, count( $words ) - 1 ) ];
	}
	return ucfirst( implode( ' ', $s ) ) . '.';
}

function mpcrawl_paragraph( array $words ) {
	$n = mt_rand( 2, 4 );
	$s = array();
	for ( $i = 0; $i < $n; $i++ ) {
		$s[] = mpcrawl_sentence( $words );
	}
	return implode( ' ', $s );
}

$seed            = json_decode( file_get_contents( $seed_json ), true );
$seed_rendered   = $seed['content']['rendered'];
$start           = new DateTimeImmutable( '2023-01-02', wp_timezone() );
$total_days      = (int) $start->diff( new DateTimeImmutable( '2025-10-31', wp_timezone() ) )->days;
$seed_date       = str_replace( 'T', ' ', $seed['date'] );
$seed_id         = 0;
$seed_youtube_id = '';
$featured_posts  = array();
$bulk_ids        = array();
$cat_names       = array( 'News', 'News', 'Constituency', 'Constituency', 'Parliament', 'Speeches', 'Campaigns', 'Written Questions' );
$now_local       = current_time( 'mysql' );

$insert_seed_post = static function () use ( $seed, $seed_rendered, $seed_date, $categories, $tags, $media_id, &$seed_youtube_id ) {
	// content.rendered -> block markup: paragraphs stay, the oEmbed iframe becomes the URL
	// in an embed block, with the iframe as the oEmbed cache.
	preg_match_all( '#<p>.*?</p>|<figure class="wp-block-embed.*?</figure>#s', $seed_rendered, $m );
	$blocks = array();
	$iframe = '';
	$url    = '';
	foreach ( $m[0] as $chunk ) {
		if ( 0 === strpos( $chunk, '<p>' ) ) {
			$blocks[] = mpcrawl_p( substr( $chunk, 3, -4 ) );
			continue;
		}
		preg_match( '#<iframe.*?</iframe>#s', $chunk, $im );
		preg_match( '#youtube\.com/embed/([A-Za-z0-9_-]+)#', $chunk, $idm );
		$iframe          = $im[0];
		$seed_youtube_id = $idm[1];
		$url             = 'https://www.youtube.com/watch?v=' . $seed_youtube_id;
		$blocks[]        = mpcrawl_embed_block( $url, 'youtube' );
	}
	if ( ! $iframe || count( $blocks ) < 5 ) {
		mpcrawl_fail( 'unexpected seed post content' );
	}
	$final = implode( "\n\n", $blocks );
	$id    = mpcrawl_insert(
		array(
			'import_id'      => (int) $seed['id'],
			'post_title'     => $seed['title']['rendered'],
			'post_name'      => $seed['slug'],
			'post_date'      => $seed_date,
			'post_excerpt'   => trim( wp_strip_all_tags( $seed['excerpt']['rendered'] ) ),
			'post_content'   => implode( "\n\n", array_slice( $blocks, 0, 2 ) ),
			'post_category'  => array( $categories['Speeches'] ),
			'tags_input'     => array( 'Facial Recognition', 'Policing' ),
			'comment_status' => $seed['comment_status'],
			'ping_status'    => $seed['ping_status'],
		)
	);
	// Like the real post: four revisions, the last one equal to the published content.
	$post_blocks = count( $blocks );
	$steps       = array( 4, 6, $post_blocks - 1, $post_blocks );
	foreach ( $steps as $n ) {
		$content = implode( "\n\n", array_slice( $blocks, 0, $n ) );
		mpcrawl_check( wp_update_post( wp_slash( array( 'ID' => $id, 'post_content' => $content ) ), true ), 'seed edit' );
	}
	set_post_thumbnail( $id, $media_id );
	mpcrawl_cache_oembed( $id, $url, $iframe );
	return $id;
};

for ( $i = 0; $i < $n_posts; $i++ ) {
	$day  = (int) floor( $i * $total_days / max( 1, $n_posts ) );
	$date = $start->modify( "+$day days" )->setTime( mt_rand( 8, 20 ), mt_rand( 0, 59 ), mt_rand( 0, 59 ) );
	$date = $date->format( 'Y-m-d H:i:s' );
	if ( ! $seed_id && $date >= $seed_date ) {
		$seed_id = $insert_seed_post();
	}
	$cat    = $cat_names[ mt_rand( 0, count( $cat_names ) - 1 ) ];
	$cats   = array( $categories[ $cat ] );
	$topic  = $words[ mt_rand( 0, count( $words ) - 1 ) ];
	$title  = ucfirst( $topic ) . ' update: ' . ucfirst( $words[ mt_rand( 0, count( $words ) - 1 ) ] ) . ' (' . ( $i + 1 ) . ')';
	$blocks = array();
	$classic = $date < '2023-07-01'; // older posts come from the classic editor: no block markup
	if ( 'Speeches' === $cat ) {
		for ( $t = 0, $turns = mt_rand( 2, 5 ); $t < $turns; $t++ ) {
			$sp       = $speakers[ ( $t % 2 ) ? mt_rand( 1, 3 ) : 0 ];
			$blocks[] = '<strong>' . $sp[0] . '&nbsp;' . $sp[1] . '</strong>';
			$blocks[] = mpcrawl_paragraph( $words );
		}
	} else {
		for ( $k = 0, $np = mt_rand( 2, 6 ); $k < $np; $k++ ) {
			$blocks[] = mpcrawl_paragraph( $words );
		}
		if ( 0 === mt_rand( 0, 3 ) ) {
			$blocks[] = 'Read more on <a href="https://www.parliament.uk/business/news/">the Parliament website</a>'
				. ' and <a href="https://www.gov.uk/government/news">GOV.UK</a>.';
		}
	}
	$content = $classic ? implode( "\n\n", $blocks ) : implode( "\n\n", array_map( 'mpcrawl_p', $blocks ) );
	$tag_ids = array();
	for ( $k = 0, $nt = mt_rand( 0, 3 ); $k < $nt; $k++ ) {
		$tag_ids[] = array_values( $tags )[ mt_rand( 0, count( $tags ) - 2 ) ];
	}
	$id = mpcrawl_insert(
		array(
			'post_title'     => $title,
			'post_date'      => $date,
			'post_author'    => ( 0 === mt_rand( 0, 2 ) ) ? $editor_id : 1,
			'post_content'   => $content,
			'post_excerpt'   => ( 0 === $i % 4 ) ? mpcrawl_sentence( $words ) : '',
			'post_category'  => $cats,
			'tags_input'     => array_values( array_unique( $tag_ids ) ),
			'comment_status' => ( 0 === $i % 3 ) ? 'open' : 'closed',
		)
	);
	if ( 0 === $i % 10 ) {
		set_post_thumbnail( $id, $media_id );
		$featured_posts[] = $id;
	}
	if ( 4 === $i % 9 ) {
		mpcrawl_edit( $id, 1 );
	}
	$bulk_ids[] = $id;
	if ( 0 === $i % 500 ) {
		wp_cache_flush(); // keep memory flat for big benchmark sites
	}
}
if ( ! $seed_id ) {
	$seed_id = $insert_seed_post();
}
$featured_posts[] = $seed_id;

// ---------------------------------------------------------------- special posts
$special = array();

$special['sticky'] = mpcrawl_insert(
	array(
		'post_title'    => 'Welcome to my new website',
		'post_date'     => '2024-07-10 09:00:00',
		'post_content'  => mpcrawl_p( 'This post is sticky: it stays at the top of the home page.' ),
		'post_category' => array( $categories['News'] ),
	)
);
stick_post( $special['sticky'] );

$special['revisions_1'] = mpcrawl_insert(
	array(
		'post_title'    => 'Bus services consultation',
		'post_date'     => '2024-07-15 11:30:00',
		'post_content'  => mpcrawl_p( 'The county council is consulting on bus services.' ),
		'post_category' => array( $categories['Constituency'] ),
		'tags_input'    => array( 'Transport' ),
	)
);
mpcrawl_edit( $special['revisions_1'], 1 );

$special['revisions_3'] = mpcrawl_insert(
	array(
		'post_title'    => 'Flood defences: a timeline',
		'post_date'     => '2024-08-01 16:45:00',
		'post_content'  => mpcrawl_p( 'Work on the river flood defences has begun.' ),
		'post_category' => array( $categories['Constituency'], $categories['Campaigns'] ),
		'tags_input'    => array( 'Environment' ),
	)
);
mpcrawl_edit( $special['revisions_3'], 3 );

$special['draft'] = mpcrawl_insert(
	array(
		'post_title'   => 'Draft: thoughts on the budget',
		'post_status'  => 'draft',
		'post_date'    => '2024-08-05 10:00:00',
		'post_content' => mpcrawl_p( 'Not ready yet.' ),
	)
);
$special['private'] = mpcrawl_insert(
	array(
		'post_title'   => 'Private: office rota',
		'post_status'  => 'private',
		'post_date'    => '2024-08-06 10:00:00',
		'post_content' => mpcrawl_p( 'Only logged-in editors can read this.' ),
	)
);
$special['protected'] = mpcrawl_insert(
	array(
		'post_title'    => 'Protected: surgery notes',
		'post_date'     => '2024-08-07 10:00:00',
		'post_password' => 'letmein',
		'post_content'  => mpcrawl_p( 'The secret content of a password-protected post.' ),
		'post_category' => array( $categories['Constituency'] ),
	)
);
$special['future'] = mpcrawl_insert(
	array(
		'post_title'   => 'Scheduled: next year',
		'post_status'  => 'future',
		'post_date'    => '2099-06-01 09:00:00',
		'post_content' => mpcrawl_p( 'Scheduled far in the future.' ),
	)
);
$special['trashed'] = mpcrawl_insert(
	array(
		'post_title'   => 'A post that was trashed',
		'post_date'    => '2024-08-08 10:00:00',
		'post_content' => mpcrawl_p( 'This post is in the trash.' ),
	)
);
mpcrawl_check( wp_trash_post( $special['trashed'] ), 'trash' );
$special['deleted'] = mpcrawl_insert(
	array(
		'post_title'   => 'A post that was deleted',
		'post_date'    => '2024-08-09 10:00:00',
		'post_content' => mpcrawl_p( 'This post was deleted permanently.' ),
	)
);
mpcrawl_check( wp_delete_post( $special['deleted'], true ), 'delete' );

// ---------------------------------------------------------------- video posts
$video = array();

$yt_url                  = 'https://www.youtube.com/watch?v=M7lc1UVf-VE';
$video['youtube_oembed'] = mpcrawl_insert(
	array(
		'post_title'    => 'Video: my speech on rail services',
		'post_date'     => '2024-06-20 14:00:00',
		'post_content'  => mpcrawl_p( 'Watch my speech:' ) . "\n\n" . mpcrawl_embed_block( $yt_url, 'youtube' ),
		'post_category' => array( $categories['Speeches'] ),
		'tags_input'    => array( 'Transport' ),
	)
);
mpcrawl_cache_oembed( $video['youtube_oembed'], $yt_url, mpcrawl_youtube_iframe( 'M7lc1UVf-VE', 'Rail services speech' ) );

// An embed block whose oEmbed lookup failed: WordPress caches the failure as {{unknown}}
// and autoembed leaves the bare URL in the wrapper (linkifunknown is off for autoembeds).
$bare_url                  = 'https://www.youtube.com/watch?v=jNQXAC9IVRw';
$video['youtube_bare_url'] = mpcrawl_insert(
	array(
		'post_title'    => 'Video: a clip that did not embed',
		'post_date'     => '2024-06-21 14:00:00',
		'post_content'  => mpcrawl_p( 'The clip:' ) . "\n\n" . mpcrawl_embed_block( $bare_url, 'youtube' ),
		'post_category' => array( $categories['News'] ),
	)
);
mpcrawl_cache_oembed( $video['youtube_bare_url'], $bare_url, '{{unknown}}' );

$video['youtube_iframe'] = mpcrawl_insert(
	array(
		'post_title'    => 'Video: Prime Minister\'s Questions',
		'post_date'     => '2024-06-22 14:00:00',
		'post_content'  => mpcrawl_p( 'My question at PMQs:' ) . "\n\n<!-- wp:html -->\n"
			. '<iframe width="560" height="315" src="https://www.youtube.com/embed/dQw4w9WgXcQ" title="YouTube video player"'
			. ' frameborder="0" allow="accelerometer; autoplay; clipboard-write; encrypted-media; gyroscope; picture-in-picture"'
			. " allowfullscreen></iframe>\n<!-- /wp:html -->",
		'post_category' => array( $categories['Speeches'] ),
	)
);

$video['video_shortcode'] = mpcrawl_insert(
	array(
		'post_title'    => 'Video: visiting the new library',
		'post_date'     => '2024-06-23 14:00:00',
		// Classic editor content: wpautop + the [video] shortcode (wp_video_shortcode()).
		'post_content'  => "I visited the new library today.\n\n[video width=\"640\" height=\"360\" src=\"https://media.example.org/clips/library-visit.mp4\"][/video]\n\nThanks to all the volunteers.",
		'post_category' => array( $categories['Constituency'] ),
	)
);

$video['video_block'] = mpcrawl_insert(
	array(
		'post_title'    => 'Video: surgery dates explained',
		'post_date'     => '2024-06-24 14:00:00',
		'post_content'  => mpcrawl_p( 'A short video about my surgeries.' ) . "\n\n<!-- wp:video -->\n"
			. '<figure class="wp-block-video"><video controls src="https://media.example.org/clips/surgeries.mp4"></video>'
			. "<figcaption class=\"wp-element-caption\">Surgery dates</figcaption></figure>\n<!-- /wp:video -->",
		'post_category' => array( $categories['Constituency'] ),
	)
);

$vimeo_url               = 'https://vimeo.com/76979871';
$video['vimeo_oembed']   = mpcrawl_insert(
	array(
		'post_title'    => 'Video: the constituency in 60 seconds',
		'post_date'     => '2024-06-25 14:00:00',
		'post_content'  => mpcrawl_p( 'A film about Testshire:' ) . "\n\n" . mpcrawl_embed_block( $vimeo_url, 'vimeo' ),
		'post_category' => array( $categories['News'] ),
	)
);
mpcrawl_cache_oembed(
	$video['vimeo_oembed'],
	$vimeo_url,
	'<iframe title="Testshire in 60 seconds" src="https://player.vimeo.com/video/76979871?dnt=1&amp;app_id=122963" width="500" height="281" frameborder="0" allow="autoplay; fullscreen; picture-in-picture" allowfullscreen></iframe>'
);

// ---------------------------------------------------------------- pages
// (not $pages: WordPress keeps a global $pages of the current post's <!--nextpage--> parts)
$page_ids           = array();
$page_ids['about']  = mpcrawl_insert(
	array(
		'post_type'    => 'page',
		'post_title'   => 'About Alex',
		'post_name'    => 'about',
		'post_date'    => '2023-01-05 10:00:00',
		'post_content' => mpcrawl_p( 'Alex has been the Member for Testshire since 2019.' ),
		'menu_order'   => 1,
	)
);
$page_ids['surgeries'] = mpcrawl_insert(
	array(
		'post_type'    => 'page',
		'post_title'   => 'Advice surgeries',
		'post_name'    => 'surgeries',
		'post_parent'  => $page_ids['about'],
		'post_date'    => '2023-01-06 10:00:00',
		'post_content' => mpcrawl_p( 'Surgeries are held on the first Friday of each month.' ),
		'menu_order'   => 2,
	)
);
$page_ids['contact'] = mpcrawl_insert(
	array(
		'post_type'    => 'page',
		'post_title'   => 'Contact',
		'post_name'    => 'contact',
		'post_date'    => '2023-06-06 10:00:00',
		'post_content' => mpcrawl_p( 'Write to me at the House of Commons, London SW1A 0AA.' ),
		'menu_order'   => 3,
	)
);
$page_ids['draft'] = mpcrawl_insert(
	array(
		'post_type'    => 'page',
		'post_title'   => 'Draft page',
		'post_status'  => 'draft',
		'post_date'    => '2024-01-06 10:00:00',
		'post_content' => mpcrawl_p( 'Not published.' ),
	)
);

wp_defer_term_counting( false );

// ---------------------------------------------------------------- pin clock-derived timestamps
// wp_update_post() / wp_trash_post() / revisions / users take "now"; pin them so that the
// seeded state is the same on every run: an edited post was modified one day after it was
// published; a revision is dated like the version it copies.
$edited = $wpdb->get_col( "SELECT DISTINCT post_parent FROM {$wpdb->posts} WHERE post_type = 'revision'" );
$edited[] = $special['trashed'];
foreach ( array_map( 'intval', $edited ) as $pid ) {
	$row = $wpdb->get_row( $wpdb->prepare( "SELECT post_date, post_date_gmt FROM {$wpdb->posts} WHERE ID = %d", $pid ) );
	$mod_local = ( new DateTimeImmutable( $row->post_date ) )->modify( '+1 day' )->format( 'Y-m-d H:i:s' );
	$mod_gmt   = get_gmt_from_date( $mod_local );
	$wpdb->update( $wpdb->posts, array( 'post_modified' => $mod_local, 'post_modified_gmt' => $mod_gmt ), array( 'ID' => $pid ) );
	$revs = $wpdb->get_col( $wpdb->prepare( "SELECT ID FROM {$wpdb->posts} WHERE post_type = 'revision' AND post_parent = %d ORDER BY ID", $pid ) );
	foreach ( $revs as $k => $rid ) {
		$when   = ( new DateTimeImmutable( $row->post_date ) )->modify( '+' . ( 60 * ( $k + 1 ) ) . ' minutes' );
		$when   = ( $k === count( $revs ) - 1 ) ? $mod_local : $when->format( 'Y-m-d H:i:s' );
		$wpdb->update(
			$wpdb->posts,
			array(
				'post_date'         => $when,
				'post_date_gmt'     => get_gmt_from_date( $when ),
				'post_modified'     => $when,
				'post_modified_gmt' => get_gmt_from_date( $when ),
			),
			array( 'ID' => $rid )
		);
	}
}
update_post_meta( $special['trashed'], '_wp_trash_meta_time', 1723280400 );
$wpdb->query( "UPDATE {$wpdb->users} SET user_registered = '2023-01-01 09:00:00'" );
$wpdb->query( $wpdb->prepare( "UPDATE {$wpdb->posts} SET post_modified = post_date, post_modified_gmt = post_date_gmt WHERE ID = %d", $media_id ) );

flush_rewrite_rules( false );
wp_cache_flush();

// ---------------------------------------------------------------- sanity checks + manifest
$bad = $wpdb->get_var( "SELECT COUNT(*) FROM {$wpdb->posts} WHERE post_status = 'future' AND post_date < '2099-01-01'" );
if ( $bad ) {
	mpcrawl_fail( "$bad posts are dated in the future of this machine's clock ($now_local)" );
}
$public_posts = (int) $wpdb->get_var( "SELECT COUNT(*) FROM {$wpdb->posts} WHERE post_type = 'post' AND post_status = 'publish'" );
$public_pages = (int) $wpdb->get_var( "SELECT COUNT(*) FROM {$wpdb->posts} WHERE post_type = 'page' AND post_status = 'publish'" );
$revision_count = static function ( $id ) {
	return count( wp_get_post_revisions( $id ) );
};
foreach ( array( 'revisions_1' => 1, 'revisions_3' => 3 ) as $key => $want ) {
	if ( $revision_count( $special[ $key ] ) !== $want ) {
		mpcrawl_fail( "$key has " . $revision_count( $special[ $key ] ) . ' revisions' );
	}
}
$GLOBALS['post'] = get_post( $seed_id );
setup_postdata( $GLOBALS['post'] );
$rendered = apply_filters( 'the_content', $GLOBALS['post']->post_content );
if ( false === strpos( $rendered, 'https://www.youtube.com/embed/' . $seed_youtube_id ) ) {
	mpcrawl_fail( "seed post renders without its iframe:\n$rendered" );
}
wp_reset_postdata();

$latest_revisions = array();
foreach ( array( 'seed_post' => $seed_id, 'revisions_1' => $special['revisions_1'], 'revisions_3' => $special['revisions_3'] ) as $key => $pid ) {
	$latest_revisions[ $key ] = array_map( 'intval', array_keys( wp_get_post_revisions( $pid ) ) );
}

$data = array(
	'wp_version'         => get_bloginfo( 'version' ),
	'site_name'          => get_option( 'blogname' ),
	'timezone_string'    => wp_timezone_string(),
	'seed_home'          => home_url(),
	'posts_requested'    => $n_posts,
	'public_posts'       => $public_posts,
	'public_pages'       => $public_pages,
	'seed_post'          => $seed_id,
	'seed_post_youtube'  => $seed_youtube_id,
	'seed_post_revisions' => $revision_count( $seed_id ),
	'revision_ids'       => $latest_revisions,
	'draft'              => $special['draft'],
	'private'            => $special['private'],
	'protected'          => $special['protected'],
	'protected_password' => 'letmein',
	'future'             => $special['future'],
	'trashed'            => $special['trashed'],
	'deleted'            => $special['deleted'],
	'revisions_1'        => $special['revisions_1'],
	'revisions_3'        => $special['revisions_3'],
	'sticky'             => $special['sticky'],
	'video_posts'        => $video,
	'pages'              => $page_ids,
	'featured_media'     => $media_id,
	'featured_posts'     => $featured_posts,
	'categories'         => $categories,
	'tags'               => $tags,
	'authors'            => array( 'admin' => 1, 'editor' => (int) $editor_id ),
	'admin'              => array(
		'id'                => 1,
		'login'             => 'admin',
		'password'          => MPCRAWL_ADMIN_PASSWORD,
		'display_name'      => 'Alex Member MP',
		'app_password'      => MPCRAWL_APP_PASSWORD,
		'app_password_name' => 'mpcrawl tests',
	),
	'editor'             => array(
		'id'           => (int) $editor_id,
		'login'        => 'editor',
		'password'     => MPCRAWL_EDITOR_PASSWORD,
		'display_name' => 'Jane Caseworker',
	),
	'first_bulk_post'    => $bulk_ids ? $bulk_ids[0] : null,
	'last_bulk_post'     => $bulk_ids ? end( $bulk_ids ) : null,
);
file_put_contents( $manifest, wp_json_encode( $data, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES ) . "\n" );
echo "seeded $public_posts public posts\n";
