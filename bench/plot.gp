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
set style data linespoints
set logscale xy
set xtics rotate by 0 scale 1 font ",9"
set xlabel "rules"
set key top left font ",9"
set title "compile time (us) against policy size"
plot data index 1 using 1:2 title "muzzle, synthetic" lw 2, \
     '' index 1 using 1:3 title "libseccomp, synthetic", \
     '' index 2 using 1:2 title "muzzle, ioctl values" lw 2, \
     '' index 2 using 1:3 title "libseccomp, ioctl values", \
     '' index 2 using 1:(0.01 * $1 * log($1) / log(2)) title "n log n (scaled)" \
        with lines lc rgb "gray40"
unset logscale xy
unset xlabel
set xtics rotate by 35 right scale 0 font ",8"
set bmargin 7
set style data histograms
set title "instructions emitted (log scale)"
set logscale y
set yrange [10:*]
plot data index 0 using 5:xtic(1) title "muzzle", '' using 6 title "libseccomp", \
     '' using 7 title "libseccomp -O2"
unset multiplot
