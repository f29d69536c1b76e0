# Compile time and filter size, muzzle vs libseccomp; run by bench/run.sh
# with data= (bench output) and out= (SVG to write).
set terminal svg size 1000,420 dynamic font "sans,11"
set output out
set multiplot layout 1,2
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set xtics rotate by -30 scale 0 font ",9"
set key top left
set grid ytics
set logscale y
set title "compile time (us, log scale)"
plot data using 2:xtic(1) title "muzzle", '' using 3 title "libseccomp", \
     '' using 4 title "libseccomp -O2"
unset logscale y
set title "instructions emitted"
set yrange [0:*]
plot data using 5:xtic(1) title "muzzle", '' using 6 title "libseccomp", \
     '' using 7 title "libseccomp -O2"
unset multiplot
