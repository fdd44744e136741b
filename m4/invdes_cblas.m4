# INVDES_FIND_CBLAS
# -----------------
# Chooses the CBLAS that GSL is linked with: OpenBLAS when pkg-config finds it
# and a test program links, otherwise GSL's reference gslcblas. Sets
# INVDES_GSL_LIBS (what to link for GSL), INVDES_CBLAS_NAME (for the summary)
# and defines HAVE_OPENBLAS when openblas_set_num_threads is available, so the
# code can keep BLAS threads from oversubscribing the cores inside OpenMP.
AC_DEFUN([INVDES_FIND_CBLAS], [
  AC_ARG_WITH([openblas],
    [AS_HELP_STRING([--without-openblas], [link GSL with its reference gslcblas])],
    [], [with_openblas=check])
  INVDES_CBLAS_NAME=gslcblas
  INVDES_GSL_LIBS="$GSL_LIBS"
  AS_IF([test "x$with_openblas" != xno], [
    PKG_CHECK_MODULES([OPENBLAS], [openblas], [
      invdes_save_LIBS=$LIBS
      LIBS="$OPENBLAS_LIBS $LIBS"
      AC_MSG_CHECKING([whether OpenBLAS links])
      AC_LINK_IFELSE([AC_LANG_PROGRAM(
          [[void openblas_set_num_threads(int);
            void cblas_dgemm(void);]],
          [[openblas_set_num_threads(1); cblas_dgemm();]])],
        [AC_MSG_RESULT([yes])
         INVDES_CBLAS_NAME=OpenBLAS
         dnl gsl.pc names -lgslcblas; keep every other flag it gives.
         INVDES_GSL_LIBS="`echo "$GSL_LIBS" | sed 's/-lgslcblas//'` $OPENBLAS_LIBS"
         AC_DEFINE([HAVE_OPENBLAS], [1], [Define if GSL is linked with OpenBLAS])],
        [AC_MSG_RESULT([no])])
      LIBS=$invdes_save_LIBS
    ], [:])
  ])
  AS_IF([test "x$with_openblas" = xyes && test "x$INVDES_CBLAS_NAME" != xOpenBLAS],
    [AC_MSG_ERROR([--with-openblas given but OpenBLAS was not found])])
  AC_SUBST([INVDES_GSL_LIBS])
])
