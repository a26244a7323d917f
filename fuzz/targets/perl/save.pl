# Writes 20000 lines and checks print and close: perl's buffered I/O keeps a write error until close.
use strict;
use warnings;

open(my $f, '>', 'out.txt') or die "open: $!";
for my $i (1 .. 20000) {
	print $f "line $i\n" or die "print: $!";
}
close($f) or die "close: $!";
