# tests/api/lib/HzmImages.pm — small, whole JPEG, PNG and PDF files for KYC tests (the server checks their structure), and a KYC application made of them
package HzmImages;
use strict;
use warnings;
use Exporter 'import';
use Compress::Zlib qw(crc32 compress);
use MIME::Base64 qw(encode_base64);

our @EXPORT = qw(jpeg_file png_file pdf_file png_chunk b64 kyc_body);

sub b64 { encode_base64($_[0], '') }

# An 8x8 grey baseline JPEG; $comment, if given, rides in a COM segment.
sub jpeg_file {
	my ($comment) = @_;
	my $com = defined $comment
	    ? "\xff\xfe" . pack('n', 2 + length $comment) . $comment : '';
	return "\xff\xd8"
	    . "\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
	    . $com
	    . "\xff\xdb\x00\x43\x00" . ("\x01" x 64)
	    . "\xff\xc0\x00\x0b\x08\x00\x08\x00\x08\x01\x01\x11\x00"
	    . "\xff\xc4\x00\x14\x00\x01" . ("\x00" x 15) . "\x00"
	    . "\xff\xc4\x00\x14\x10\x01" . ("\x00" x 15) . "\x00"
	    . "\xff\xda\x00\x08\x01\x01\x00\x00\x3f\x00" . "\x3f"
	    . "\xff\xd9";
}

sub png_chunk {
	my ($type, $data) = @_;
	return pack('N', length $data) . $type . $data . pack('N', crc32($type . $data));
}

# A 1x1 RGBA PNG; $text, if given, in a tEXt chunk; $size pads that
# chunk so the file is $size bytes.
sub png_file {
	my ($text, $size) = @_;
	my $head = "\x89PNG\r\n\x1a\n" . png_chunk('IHDR', pack('NNCCCCC', 1, 1, 8, 6, 0, 0, 0));
	my $tail = png_chunk('IDAT', compress("\x00\xff\x00\x00\xff")) . png_chunk('IEND', '');
	if (defined $text || defined $size) {
		my $t = "Comment\0" . ($text // '');
		$t .= 'x' x ($size - length($head) - length($tail) - 12 - length $t)
		    if defined $size;
		$head .= png_chunk('tEXt', $t);
	}
	return $head . $tail;
}

# A one-page PDF whose startxref points at its cross-reference table;
# $catalog adds to the catalog dictionary, $tail follows %%EOF.
sub pdf_file {
	my ($catalog, $tail) = @_;
	my @obj = (
	    '<< /Type /Catalog /Pages 2 0 R ' . ($catalog // '') . '>>',
	    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
	    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >>',
	);
	my $s = "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n";
	my @off;
	for my $i (0 .. $#obj) {
		push @off, length $s;
		$s .= ($i + 1) . " 0 obj\n$obj[$i]\nendobj\n";
	}
	my $xref = length $s;
	$s .= "xref\n0 " . (@obj + 1) . "\n0000000000 65535 f \n";
	$s .= sprintf("%010d 00000 n \n", $_) for @off;
	$s .= "trailer\n<< /Size " . (@obj + 1) . " /Root 1 0 R >>\nstartxref\n$xref\n%%EOF"
	    . ($tail // "\n");
	return $s;
}

# A KYC application's body that passes (POST /kyc/submit): a Turkish
# national's, its documents whole files. %over: a field's value (undef
# leaves it out), "documents.NAME" for one document.
sub kyc_body {
	my (%over) = @_;
	my $doc = sub { { contentType => $_[0], data => b64($_[1]) } };
	my %b = (
		firstName	=> 'Ayse',
		lastName	=> "O'Neil-Yilmaz",
		dateOfBirth	=> '1990-05-17',
		nationality	=> 'TR',
		idNumber	=> '10000000146',
		address		=> 'Bagdat Cad. 1, 34710 Kadikoy, Istanbul',
		documents	=> {
			idDocument	=> $doc->('image/png', png_file()),
			addressProof	=> $doc->('application/pdf', pdf_file()),
			selfie		=> $doc->('image/jpeg', jpeg_file()),
		},
	);
	for my $k (keys %over) {
		if ($k =~ /^documents\.(\w+)$/) {
			if (defined $over{$k}) { $b{documents}{$1} = $over{$k} }
			else { delete $b{documents}{$1} }
		} elsif (defined $over{$k}) {
			$b{$k} = $over{$k};
		} else {
			delete $b{$k};
		}
	}
	return \%b;
}

1;
